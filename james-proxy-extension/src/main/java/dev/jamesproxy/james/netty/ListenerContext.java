package dev.jamesproxy.james.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.protocol.ParserLimits;
import dev.jamesproxy.protocol.ProxyHeaderParser;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;

/**
 * What every connection of one proxied listener shares: settings, hooks, metrics, the per-client counts and the
 * protocol's binding. A listener of any protocol makes one, and puts {@link #newDecoder()} first in each pipeline.
 */
public final class ListenerContext {
    /** The pipeline name of the decoder. */
    public static final String DECODER_NAME = "proxyHeaderDecoder";

    private static final Duration MAX_REVERSE_DNS = Duration.ofSeconds(2);

    /** What the TCP peer is allowed to do. */
    enum Source {
        TRUSTED_PROXY, DIRECT, UNTRUSTED
    }

    private final ListenerInfo listener;
    private final ProxyProtocolConfiguration configuration;
    private final HookChain hooks;
    private final ProxyMetrics metrics;
    private final ProtocolBinding binding;
    private final ClientConnectionLimiter limiter;
    private final ProxyHeaderParser parser;
    private final RejectionLog rejectionLog;
    private final Optional<ReverseDns> reverseDns;
    private final Duration reverseDnsBound;
    private final int maxBufferedBytes;
    private final ListenerShutdown shutdown;

    /** @param reverseDns how client names are looked up; empty: not at all (James looks them up itself, if asked) */
    ListenerContext(ListenerInfo listener, ProxyProtocolConfiguration configuration, HookChain hooks,
                    ProxyMetrics metrics, ProtocolBinding binding, Optional<ReverseDns> reverseDns) {
        this.listener = listener;
        this.configuration = configuration;
        this.hooks = hooks;
        this.metrics = metrics;
        this.binding = binding;
        this.limiter = new ClientConnectionLimiter(configuration.connectionLimitPerClient());
        this.parser = new ProxyHeaderParser(configuration.parserLimits());
        this.rejectionLog = new RejectionLog(listener);
        this.reverseDns = reverseDns;
        Duration half = configuration.timeout().dividedBy(2);
        this.reverseDnsBound = half.compareTo(MAX_REVERSE_DNS) < 0 ? half : MAX_REVERSE_DNS;
        this.maxBufferedBytes = Math.max(configuration.parserLimits().maxHeaderBytes(), ParserLimits.V1_MAX_LENGTH);
        this.shutdown = new ListenerShutdown(listener, binding);
    }

    /** A new decoder for one channel: put it first in the pipeline, before TLS. */
    public ChannelHandler newDecoder() {
        return new HeaderDecoder(this);
    }

    /**
     * Lets the listener stop gracefully: call it from the server's {@code configureBootstrap}, after James's own, so
     * that {@link #drain()} can close the server sockets first.
     */
    public void configureBootstrap(ServerBootstrap bootstrap) {
        shutdown.configureBootstrap(bootstrap);
    }

    /**
     * Stops the listener gracefully within {@code <shutdownGrace>} (see {@link ListenerShutdown}): call it from the
     * server's {@code unbind()}, before James's own, which then closes whatever is left at once.
     */
    public DrainReport drain() {
        return shutdown.drain(configuration.shutdownGrace());
    }

    public ListenerInfo listener() {
        return listener;
    }

    Source classify(InetSocketAddress peer) {
        if (peer == null || peer.getAddress() == null) {
            return Source.UNTRUSTED;
        }
        if (configuration.trustedProxies().contains(peer.getAddress())) {
            return Source.TRUSTED_PROXY;
        }
        if (configuration.direct().contains(peer.getAddress())) {
            return Source.DIRECT;
        }
        return Source.UNTRUSTED;
    }

    /** The listener's parser: stateless, shared by its connections. */
    ProxyHeaderParser parser() {
        return parser;
    }

    RejectionLog rejectionLog() {
        return rejectionLog;
    }

    /** The most bytes held while waiting for a header: the v2 cap, or a whole v1 line if larger. */
    int maxBufferedBytes() {
        return maxBufferedBytes;
    }

    ProxyProtocolConfiguration configuration() {
        return configuration;
    }

    HookChain hooks() {
        return hooks;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    ProtocolBinding binding() {
        return binding;
    }

    ListenerShutdown shutdown() {
        return shutdown;
    }

    Optional<ReverseDns> reverseDns() {
        return reverseDns;
    }

    /**
     * How long a client's reverse DNS may take: 2 s, or half the header timeout when that is shorter, so that a slow
     * resolver delays a connection but never makes it time out (the connection is then admitted without a name).
     */
    Duration reverseDnsBound() {
        return reverseDnsBound;
    }

    ClientConnectionLimiter limiter() {
        return limiter;
    }
}
