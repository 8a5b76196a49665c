package dev.jamesproxy.hardening.testing;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * An {@link EmbeddedChannel} with TCP addresses (the decoder classifies its peer by address), a chosen
 * allocator, and the given handlers; registered, so {@code channelActive} has fired on return.
 */
public final class TcpEmbeddedChannel extends EmbeddedChannel {
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    public TcpEmbeddedChannel(InetSocketAddress remote, InetSocketAddress local, ByteBufAllocator allocator,
                              ChannelHandler... handlers) throws Exception {
        super(false, false);
        this.remote = remote;
        this.local = local;
        config().setAllocator(allocator);
        pipeline().addLast(handlers);
        register();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }
}
