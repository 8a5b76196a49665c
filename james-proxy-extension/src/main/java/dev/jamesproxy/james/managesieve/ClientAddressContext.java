package dev.jamesproxy.james.managesieve;

import java.net.SocketAddress;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;

/** A handler context that is the real one in every respect except {@link #channel()}, a {@link ClientAddressChannel}. */
final class ClientAddressContext implements ChannelHandlerContext {
    private final ChannelHandlerContext context;
    private final ClientAddressChannel channel;

    ClientAddressContext(ChannelHandlerContext context, ClientAddressChannel channel) {
        this.context = context;
        this.channel = channel;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public EventExecutor executor() {
        return context.executor();
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public ChannelHandler handler() {
        return context.handler();
    }

    @Override
    public boolean isRemoved() {
        return context.isRemoved();
    }

    @Override
    public ChannelHandlerContext fireChannelRegistered() {
        context.fireChannelRegistered();
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelUnregistered() {
        context.fireChannelUnregistered();
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelActive() {
        context.fireChannelActive();
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelInactive() {
        context.fireChannelInactive();
        return this;
    }

    @Override
    public ChannelHandlerContext fireExceptionCaught(Throwable cause) {
        context.fireExceptionCaught(cause);
        return this;
    }

    @Override
    public ChannelHandlerContext fireUserEventTriggered(Object event) {
        context.fireUserEventTriggered(event);
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelRead(Object msg) {
        context.fireChannelRead(msg);
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelReadComplete() {
        context.fireChannelReadComplete();
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelWritabilityChanged() {
        context.fireChannelWritabilityChanged();
        return this;
    }

    @Override
    public ChannelHandlerContext read() {
        context.read();
        return this;
    }

    @Override
    public ChannelHandlerContext flush() {
        context.flush();
        return this;
    }

    @Override
    public ChannelPipeline pipeline() {
        return context.pipeline();
    }

    @Override
    public ByteBufAllocator alloc() {
        return context.alloc();
    }

    @Override
    @Deprecated
    public <T> Attribute<T> attr(AttributeKey<T> key) {
        return context.channel().attr(key);
    }

    @Override
    @Deprecated
    public <T> boolean hasAttr(AttributeKey<T> key) {
        return context.channel().hasAttr(key);
    }

    @Override
    public ChannelFuture bind(SocketAddress localAddress) {
        return context.bind(localAddress);
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress) {
        return context.connect(remoteAddress);
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress) {
        return context.connect(remoteAddress, localAddress);
    }

    @Override
    public ChannelFuture disconnect() {
        return context.disconnect();
    }

    @Override
    public ChannelFuture close() {
        return context.close();
    }

    @Override
    public ChannelFuture deregister() {
        return context.deregister();
    }

    @Override
    public ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise) {
        return context.bind(localAddress, promise);
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, ChannelPromise promise) {
        return context.connect(remoteAddress, promise);
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        return context.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public ChannelFuture disconnect(ChannelPromise promise) {
        return context.disconnect(promise);
    }

    @Override
    public ChannelFuture close(ChannelPromise promise) {
        return context.close(promise);
    }

    @Override
    public ChannelFuture deregister(ChannelPromise promise) {
        return context.deregister(promise);
    }

    @Override
    public ChannelFuture write(Object msg) {
        return context.write(msg);
    }

    @Override
    public ChannelFuture write(Object msg, ChannelPromise promise) {
        return context.write(msg, promise);
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg, ChannelPromise promise) {
        return context.writeAndFlush(msg, promise);
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg) {
        return context.writeAndFlush(msg);
    }

    @Override
    public ChannelPromise newPromise() {
        return context.newPromise();
    }

    @Override
    public ChannelProgressivePromise newProgressivePromise() {
        return context.newProgressivePromise();
    }

    @Override
    public ChannelFuture newSucceededFuture() {
        return context.newSucceededFuture();
    }

    @Override
    public ChannelFuture newFailedFuture(Throwable cause) {
        return context.newFailedFuture(cause);
    }

    @Override
    public ChannelPromise voidPromise() {
        return context.voidPromise();
    }

    @Override
    public String toString() {
        return context.toString();
    }
}
