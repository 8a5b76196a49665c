package dev.jamesproxy.james;

import java.net.InetSocketAddress;

import dev.jamesproxy.protocol.ParserLimits;
import dev.jamesproxy.protocol.ProxyHeaderParser;

/** What every connection of one proxied listener shares: settings, hooks, metrics and the per-client counts. */
final class ProxyListenerContext {

    /** What the TCP peer is allowed to do. */
    enum Source {
        TRUSTED_PROXY, DIRECT, UNTRUSTED
    }

    private final ListenerInfo listener;
    private final ProxyProtocolConfiguration configuration;
    private final ProxyHookChain hooks;
    private final ProxyMetrics metrics;
    private final ClientConnectionLimiter limiter;
    private final ProxyHeaderParser parser;
    private final RejectionLog rejectionLog;

    ProxyListenerContext(ListenerInfo listener, ProxyProtocolConfiguration configuration, ProxyHookChain hooks,
                         ProxyMetrics metrics) {
        this.listener = listener;
        this.configuration = configuration;
        this.hooks = hooks;
        this.metrics = metrics;
        this.limiter = new ClientConnectionLimiter(configuration.connectionLimitPerClient());
        this.parser = new ProxyHeaderParser(configuration.parserLimits());
        this.rejectionLog = new RejectionLog(listener);
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
        return Math.max(configuration.parserLimits().maxHeaderBytes(), ParserLimits.V1_MAX_LENGTH);
    }

    ListenerInfo listener() {
        return listener;
    }

    ProxyProtocolConfiguration configuration() {
        return configuration;
    }

    ProxyHookChain hooks() {
        return hooks;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    ClientConnectionLimiter limiter() {
        return limiter;
    }
}
