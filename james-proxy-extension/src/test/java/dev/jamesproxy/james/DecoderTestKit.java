package dev.jamesproxy.james;

import io.netty.channel.ChannelHandler;

/**
 * Test access to the package-private decoder stage, for tests outside this package (the hardening
 * fuzz test runs it in an {@code EmbeddedChannel}). Builds exactly what {@link ProxiedSmtpServer}
 * builds per connection: a {@link ProxyListenerContext} around the configuration, hooks and metrics,
 * and a {@link ProxyHeaderDecoder} on it. No behaviour of its own.
 */
public final class DecoderTestKit {
    /** The decoder's name in the pipeline. */
    public static final String NAME = ProxyHeaderDecoder.NAME;

    private final ProxyListenerContext context;

    public DecoderTestKit(ListenerInfo listener, ProxyProtocolConfiguration configuration, ProxyHookChain hooks,
                          ProxyMetrics metrics) {
        this.context = new ProxyListenerContext(listener, configuration, hooks, metrics);
    }

    /** A new decoder for one connection, sharing this listener's context (like the per-client counts). */
    public ChannelHandler newDecoder() {
        return new ProxyHeaderDecoder(context);
    }

    /** The most bytes the decoder examines while waiting for a header. */
    public int maxBufferedBytes() {
        return context.maxBufferedBytes();
    }
}
