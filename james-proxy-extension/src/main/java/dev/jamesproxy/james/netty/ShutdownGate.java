package dev.jamesproxy.james.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Just before the protocol's core handler, on its executor: passes every message on, except while the listener stops
 * ({@link ListenerShutdown}). Then a session that has been sent the closing line gets nothing more through (a line
 * framed on another thread before the close must not be answered, nor a mail queued, after the client was told
 * {@code 421}), and a session outside a transaction is sent the closing line instead of an answer to its command.
 * One instance per listener.
 */
@ChannelHandler.Sharable
final class ShutdownGate extends ChannelInboundHandlerAdapter {
    private final ListenerShutdown shutdown;
    private final ProtocolBinding binding;

    ShutdownGate(ListenerShutdown shutdown, ProtocolBinding binding) {
        this.shutdown = shutdown;
        this.binding = binding;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!shutdown.isDraining()) {
            ctx.fireChannelRead(msg);
            return;
        }
        Channel channel = ctx.channel();
        if (ListenerShutdown.isTold(channel) || !binding.inTransaction(channel)) {
            ReferenceCountUtil.release(msg);
            shutdown.tell(channel);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
