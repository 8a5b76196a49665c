package dev.jamesproxy.james.netty;

import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/**
 * A protocol's own pipeline factory with the PROXY decoder put first. The stock factory is a {@code @Sharable}
 * {@code ChannelInitializer}; added to a new channel's pipeline it builds James's handlers there and removes
 * itself, exactly as when James uses it directly. Then the decoder goes in front of everything, TLS included, and the
 * shutdown's gate just before the core handler.
 */
@ChannelHandler.Sharable
final class ProxiedPipelineFactory extends AbstractChannelPipelineFactory<SocketChannel> {
    private final ChannelHandler stock;
    private final ListenerContext context;

    ProxiedPipelineFactory(ChannelHandler stock, ListenerContext context) {
        super(pipeline -> {
            throw new IllegalStateException("unused: the stock factory frames");
        }, null);
        this.stock = stock;
        this.context = context;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline().addLast(stock);
        channel.pipeline().addFirst(ListenerContext.DECODER_NAME, context.newDecoder());
        context.shutdown().register(channel);
    }

    @Override
    protected ChannelInboundHandlerAdapter createHandler() {
        throw new IllegalStateException("unused: the stock factory creates the core handler");
    }
}
