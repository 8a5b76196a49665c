package dev.jamesproxy.james.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.james.metrics.api.TimeMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyData;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The first handler of a proxied listener's pipeline, before TLS, for every protocol. It holds back
 * {@code channelActive} so that no protocol handler runs and nothing is sent until the connection is admitted:
 * <ol>
 *   <li>the TCP peer must be a trusted proxy (then a header is read) or a {@code direct} peer (no header);
 *   anyone else is closed before a byte is read;</li>
 *   <li>bytes are accumulated under the header timeout and size cap and given to the parser;</li>
 *   <li>the client's name is looked up, when the listener does reverse DNS (bounded, off the event loop); then
 *   the hooks judge a valid header, synchronously or not, still under the same timeout; bytes that arrive
 *   meanwhile are kept; then the per-client limit applies;</li>
 *   <li>admission: the {@link ProxyConnection} goes into {@link AdmittedConnection}, the protocol's binding gets
 *   it, {@code channelActive} is fired, bytes after the header (pipelined commands, a TLS ClientHello) are passed
 *   on, and this handler removes itself.</li>
 * </ol>
 * Until admission, {@code channelInactive}, {@code channelReadComplete}, user events and exceptions stop here: the
 * handlers after this one were never activated. Once the listener stops ({@link ListenerShutdown}) nobody is admitted:
 * a connection still waiting is closed without a byte. One instance per channel; every method runs on its event loop.
 */
final class HeaderDecoder extends ChannelInboundHandlerAdapter {
    /** The most bytes kept from a client while its hooks run (a ClientHello, pipelined commands). */
    static final int MAX_BYTES_WHILE_JUDGED = 64 * 1024;

    private static final Logger LOGGER = LoggerFactory.getLogger(HeaderDecoder.class);

    private enum State {
        NEW, WAITING, JUDGED, ADMITTED, CLOSED
    }

    private final ListenerContext context;
    private final HeaderTimeout timeout = new HeaderTimeout();
    private State state = State.NEW;
    private ByteBuf received;
    private TimeMetric latency;
    private HookChain.Evaluation evaluation = HookChain.Evaluation.DONE;
    private CompletableFuture<Optional<String>> lookup;
    private int headerLength;
    private InetSocketAddress peer;
    private InetSocketAddress local;

    HeaderDecoder(ListenerContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        peer = (InetSocketAddress) ctx.channel().remoteAddress();
        local = (InetSocketAddress) ctx.channel().localAddress();
        if (context.shutdown().isDraining()) {
            // accepted just before the listener closed its server socket
            state = State.CLOSED;
            context.shutdown().closeBeforeAdmission(ctx.channel());
            return;
        }
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
        if (state != State.WAITING && state != State.JUDGED) {
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
        if (state == State.WAITING) {
            examine(ctx);
        } else if (received.readableBytes() - headerLength > MAX_BYTES_WHILE_JUDGED) {
            reject(ctx, Rejection.of(Rejection.Kind.OVERSIZE, "more than " + MAX_BYTES_WHILE_JUDGED
                + " bytes after the header while the hooks were judging it"), Optional.empty());
        }
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
            reject(ctx, Rejection.fromParseError(result.error().orElseThrow()), Optional.empty());
            return;
        }
        headerLength = result.headerLength();
        ProxyData header = result.proxyData().orElseThrow();
        state = State.JUDGED;
        Optional<InetAddress> client = header.hasClientAddress()
            ? header.source().map(InetSocketAddress::getAddress) : Optional.empty();
        if (context.reverseDns().isEmpty() || client.isEmpty()) {
            judge(ctx, ProxyConnection.proxied(context.listener(), peer, local, header));
            return;
        }
        CompletableFuture<Optional<String>> pending = context.reverseDns().get().nameOf(client.get(), context.reverseDnsBound());
        if (pending.isDone()) {
            // A remembered answer: no hop to another thread and back.
            judge(ctx, ProxyConnection.proxied(context.listener(), peer, local, header, pending.getNow(Optional.empty())));
            return;
        }
        lookup = pending;
        pending.whenComplete((name, failure) -> ctx.executor().execute(() -> {
            if (state == State.JUDGED && lookup == pending) {
                lookup = null;
                judge(ctx, ProxyConnection.proxied(context.listener(), peer, local, header,
                    name == null ? Optional.empty() : name));
            }
        }));
    }

    /** Asks the hooks; the connection stays held until they answer. */
    private void judge(ChannelHandlerContext ctx, ProxyConnection connection) {
        ProxyData header = connection.proxyData().orElseThrow();
        evaluation = context.hooks().evaluate(connection, header, ctx.executor(), verdict -> {
            if (state != State.JUDGED) {
                return;
            }
            if (verdict.accepted()) {
                admit(ctx, connection);
            } else {
                reject(ctx, Rejection.of(Rejection.Kind.HOOK, verdict.detail()), verdict.reply());
            }
        });
    }

    private void admit(ChannelHandlerContext ctx, ProxyConnection connection) {
        timeout.cancel();
        if (context.shutdown().isDraining()) {
            stop();
            context.shutdown().closeBeforeAdmission(ctx.channel());
            return;
        }
        if (!context.limiter().tryAcquire(connection.clientIp(), ctx.channel())) {
            reject(ctx, Rejection.of(Rejection.Kind.CLIENT_LIMIT, connection.clientIp() + " already has "
                    + context.configuration().connectionLimitPerClient() + " connections (<connectionLimitPerClient>)"),
                Optional.of(Reply.of("421", "4.7.0 Too many connections from your address, try again later")));
            return;
        }
        state = State.ADMITTED;
        publishLatency();
        if (connection.isDirect()) {
            context.metrics().direct();
        } else {
            context.metrics().accepted(connection.proxyInformation().isPresent());
        }
        AdmittedConnection.set(ctx.channel(), connection);
        context.binding().beforeActivation(ctx.channel(), connection);
        ByteBuf rest = received;
        received = null;
        if (rest != null) {
            rest.skipBytes(headerLength);
        }
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
        } else if (state == State.JUDGED) {
            reject(ctx, Rejection.of(Rejection.Kind.HOOK_TIMEOUT, "the hooks did not answer within "
                + context.configuration().timeout().toMillis() + " ms of the connection (<timeout>)"), Optional.empty());
        }
    }

    private void reject(ChannelHandlerContext ctx, Rejection rejection, Optional<Reply> reply) {
        if (state == State.CLOSED) {
            return;
        }
        int length = received == null ? 0 : received.readableBytes();
        byte[] seen = stop();
        context.rejectionLog().log(peer, rejection, seen, length);
        context.metrics().rejected(rejection);
        if (reply.isPresent() && !context.listener().implicitTls()) {
            String line = context.binding().rejectionLine(reply.get()) + "\r\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /**
     * The one way out before admission: no more timer, hooks or buffered bytes.
     *
     * @return the first bytes received, for a log line
     */
    private byte[] stop() {
        state = State.CLOSED;
        timeout.cancel();
        evaluation.cancel();
        cancelLookup();
        publishLatency();
        return releaseReceived();
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
        if (state == State.WAITING || state == State.JUDGED) {
            State was = state;
            int length = received == null ? 0 : received.readableBytes();
            stop();
            context.metrics().abandoned();
            LOGGER.debug("PROXY: {} closed the connection to {} after {} bytes, {}", AddressText.endpoint(peer),
                context.listener(), length, was == State.WAITING ? "before a whole header" : "while the hooks ran");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (state == State.ADMITTED) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (event == ListenerShutdown.StopWaiting.INSTANCE && (state == State.WAITING || state == State.JUDGED)) {
            stop();
            context.shutdown().closeBeforeAdmission(ctx.channel());
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.ADMITTED) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOGGER.debug("PROXY: error on a connection from {} before it was admitted", peer, cause);
        if (state != State.CLOSED) {
            if (state == State.WAITING || state == State.JUDGED) {
                // e.g. a reset by the peer: counted like a close before admission
                context.metrics().abandoned();
            }
            stop();
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel();
        evaluation.cancel();
        cancelLookup();
        releaseReceived();
    }

    private void cancelLookup() {
        if (lookup != null) {
            lookup.cancel(true);
            lookup = null;
        }
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
