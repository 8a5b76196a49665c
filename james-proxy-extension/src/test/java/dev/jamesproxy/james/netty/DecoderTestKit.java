package dev.jamesproxy.james.netty;

import java.util.Optional;

import org.apache.commons.configuration2.ex.ConfigurationException;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;

import io.netty.channel.ChannelHandler;

/**
 * Test access to the decoder stage, for tests outside this package (the hardening fuzz test runs it in an
 * {@code EmbeddedChannel}): a {@link ListenerContext} as a listener builds it, with SMTP's binding, plus the
 * package-private buffer cap, without reverse DNS (the decoder then decides within each call). No behaviour of
 * its own.
 */
public final class DecoderTestKit {
    /** The decoder's name in the pipeline. */
    public static final String NAME = ListenerContext.DECODER_NAME;

    private final ListenerContext context;

    /** @throws ConfigurationException when a hook cannot be loaded or initialised */
    public DecoderTestKit(ListenerInfo listener, ProxyProtocolConfiguration configuration, HookLoader hooks,
                          ProxyMetrics metrics) throws ConfigurationException {
        this.context = new ListenerContext(listener, configuration, HookChain.load(listener.toString(),
            configuration.hooks(), hooks), metrics, new ProtocolBinding() {
            @Override
            public ListenerInfo.Protocol protocol() {
                return listener.protocol();
            }

            @Override
            public String rejectionLine(Reply reply) {
                return reply.toString();
            }
        }, Optional.empty());
    }

    /** A new decoder for one connection, sharing this listener's context (like the per-client counts). */
    public ChannelHandler newDecoder() {
        return context.newDecoder();
    }

    /** The most bytes the decoder examines while waiting for a header. */
    public int maxBufferedBytes() {
        return context.maxBufferedBytes();
    }
}
