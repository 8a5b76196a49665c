package dev.jamesproxy.james;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.james.metrics.api.TimeMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyData;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The first handler of a proxied listener's pipeline, before TLS. It holds back {@code channelActive}
 * so that no James handler runs and nothing is sent until the connection is admitted:
 * <ol>
 *   <li>the TCP peer must be a trusted proxy (then a header is read) or a {@code direct} peer (no header);
 *   anyone else is closed before a byte is read;</li>
 *   <li>bytes are accumulated under the header timeout and size cap and given to the parser;</li>
 *   <li>the hooks judge a valid header; then the per-client limit applies;</li>
 *   <li>admission: the {@link ProxyConnection} goes into a channel attribute, {@code channelActive} is
 *   fired, bytes after the header (a pipelined EHLO, a TLS ClientHello) are passed on, and this handler
 *   removes itself.</li>
 * </ol>
 * Until admission, {@code channelInactive}, {@code channelReadComplete}, user events and exceptions stop
 * here: the handlers after this one were never activated. One instance per channel, event loop only.
 */
final class ProxyHeaderDecoder extends ChannelInboundHandlerAdapter {
    static final String NAME = "proxyHeaderDecoder";

    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyHeaderDecoder.class);

    private enum State {
        NEW, WAITING, ADMITTED, CLOSED
    }

    private final ProxyListenerContext context;
    private State state = State.NEW;
    private ByteBuf received;
    private final HeaderTimeout timeout = new HeaderTimeout();
    private TimeMetric latency;
    private InetSocketAddress peer;
    private InetSocketAddress local;

    ProxyHeaderDecoder(ProxyListenerContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        peer = (InetSocketAddress) ctx.channel().remoteAddress();
        local = (InetSocketAddress) ctx.channel().localAddress();
        switch (context.classify(peer)) {
            case TRUSTED_PROXY:
                state = State.WAITING;
                latency = context.metrics().startHeaderTimer();
                timeout.start(ctx, context.configuration().timeout(), () -> onTimeout(ctx));
                break;
            case DIRECT:
                admit(ctx, ProxyConnection.direct(context.listener(), peer, local));
                break;
            default:
                reject(ctx, Rejection.of(Rejection.Kind.UNTRUSTED, "the peer is in neither <trustedProxies> nor <direct>"),
                    Optional.empty());
                break;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.ADMITTED) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state != State.WAITING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (received == null) {
                // Allocated on the first bytes, unpooled and sized to them: a connection still waiting for
                // its header holds no buffer, and a pooled heap allocation would pin a whole arena chunk.
                received = Unpooled.buffer(in.readableBytes());
            }
            received.writeBytes(in);
        } finally {
            in.release();
        }
        examine(ctx);
    }

    private void examine(ChannelHandlerContext ctx) {
        int cap = context.maxBufferedBytes();
        // received is an unpooled heap buffer: parse its array in place (the parser copies only the header).
        ParseResult result = context.parser().parse(received.array(), received.arrayOffset() + received.readerIndex(),
            Math.min(received.readableBytes(), cap));
        if (result.isIncomplete()) {
            if (received.readableBytes() >= cap) {
                reject(ctx, Rejection.of(Rejection.Kind.OVERSIZE, "no complete header within " + cap
                    + " bytes (<maxHeaderBytes>)"), Optional.empty());
            }
            return;
        }
        if (result.isInvalid()) {
            reject(ctx, Rejection.parse(result.error().orElseThrow()), Optional.empty());
            return;
        }
        ProxyData header = result.proxyData().orElseThrow();
        ProxyConnection connection = ProxyConnection.proxied(context.listener(), peer, local, header);
        ProxyHookChain.Verdict verdict = context.hooks().evaluate(connection, header);
        if (!verdict.accepted()) {
            reject(ctx, Rejection.of(Rejection.Kind.HOOK, verdict.detail()), verdict.reply());
            return;
        }
        received.skipBytes(result.headerLength());
        admit(ctx, connection);
    }

    private void admit(ChannelHandlerContext ctx, ProxyConnection connection) {
        timeout.cancel();
        String client = Addresses.ip(connection.clientAddress());
        if (!context.limiter().tryAcquire(client, ctx.channel())) {
            reject(ctx, Rejection.of(Rejection.Kind.CLIENT_LIMIT, client + " already has "
                    + context.configuration().connectionLimitPerClient() + " connections (<connectionLimitPerClient>)"),
                Optional.of("421 4.7.0 Too many connections from your address, try again later"));
            return;
        }
        state = State.ADMITTED;
        publishLatency();
        if (connection.isDirect()) {
            context.metrics().direct();
        } else {
            context.metrics().accepted(connection.proxyInformation().isPresent());
        }
        ctx.channel().attr(ProxyAttachments.CHANNEL_CONNECTION).set(connection);
        ByteBuf rest = received;
        received = null;
        ctx.fireChannelActive();
        if (rest != null && rest.isReadable()) {
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        } else if (rest != null) {
            rest.release();
        }
        ctx.pipeline().remove(this);
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        if (state == State.WAITING) {
            reject(ctx, Rejection.of(Rejection.Kind.TIMEOUT, "no complete header within "
                + context.configuration().timeout().toMillis() + " ms (<timeout>)"), Optional.empty());
        }
    }

    private void reject(ChannelHandlerContext ctx, Rejection rejection, Optional<String> reply) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        timeout.cancel();
        publishLatency();
        int length = received == null ? 0 : received.readableBytes();
        byte[] seen = releaseReceived();
        context.rejectionLog().log(peer, rejection, seen, length);
        context.metrics().rejected(rejection);
        if (reply.isPresent() && !context.listener().implicitTls()) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(reply.get() + "\r\n", StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.ADMITTED) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.ADMITTED) {
            ctx.fireChannelInactive();
            return;
        }
        if (state == State.WAITING) {
            state = State.CLOSED;
            timeout.cancel();
            publishLatency();
            int length = received == null ? 0 : received.readableBytes();
            releaseReceived();
            context.metrics().abandoned();
            LOGGER.debug("PROXY: {} closed the connection to '{}' after {} bytes, before a whole header",
                Addresses.format(peer), context.listener().jmxName(), length);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (state == State.ADMITTED) {
            ctx.fireUserEventTriggered(event);
        } else {
            ReferenceCountUtil.release(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.ADMITTED) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOGGER.debug("PROXY: error on a connection from {} before its header was accepted", peer, cause);
        if (state != State.CLOSED) {
            if (state == State.WAITING) {
                // e.g. a reset by the peer: counted like a close before a whole header
                context.metrics().abandoned();
            }
            state = State.CLOSED;
            timeout.cancel();
            publishLatency();
            releaseReceived();
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel();
        releaseReceived();
    }

    private void publishLatency() {
        if (latency != null) {
            latency.stopAndPublish();
            latency = null;
        }
    }

    /** Releases the accumulated bytes and returns the first ones, for the log line. */
    private byte[] releaseReceived() {
        if (received == null) {
            return new byte[0];
        }
        byte[] seen = new byte[Math.min(received.readableBytes(), RejectionLog.LOG_PREFIX_BYTES + 1)];
        received.getBytes(received.readerIndex(), seen);
        received.release();
        received = null;
        return seen;
    }
}
