package dev.jamesproxy.james.netty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.james.protocols.netty.HandlerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.ListenerInfo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * How one proxied listener stops when James stops ({@link #drain(Duration)}, from the server's {@code unbind()}, before
 * James's own unbind closes every connection at once):
 * <ol>
 *   <li>stop accepting: the server sockets are closed first, so new connections are refused and a proxy's health
 *   check fails at once;</li>
 *   <li>connections still waiting for their PROXY header (or for their hooks) are closed, without a byte;</li>
 *   <li>admitted sessions between transactions get the protocol's {@link ProtocolBinding#shutdownLine() closing line}
 *   (SMTP {@code 421 4.3.2}) and are closed;</li>
 *   <li>sessions inside a transaction ({@link ProtocolBinding#inTransaction}: an SMTP mail after MAIL FROM, in DATA)
 *   may finish it within the grace period; the first command after it gets the closing line instead of an answer;</li>
 *   <li>at the end of the grace period every session left gets the closing line and is closed, in a transaction or
 *   not.</li>
 * </ol>
 * Every decision about a session runs on the executor of the protocol's core handler, between two of its commands,
 * and once a session has been given the closing line the {@link ShutdownGate} drops whatever it sends afterwards: a mail
 * whose last line was still in flight is never accepted after its client was told 421. So a client either gets its
 * {@code 250} (and the mail was queued) or the closing line (and it was not). One line is logged per listener with
 * what was done.
 */
public final class ListenerShutdown {
    /** The pipeline name of the gate, just before the protocol's core handler. */
    public static final String GATE_NAME = "proxyShutdownGate";

    private static final Logger LOGGER = LoggerFactory.getLogger(ListenerShutdown.class);
    private static final AttributeKey<Boolean> TOLD = AttributeKey.valueOf("dev.jamesproxy.shutdownLineSent");
    /** How long a close or a look at a session may take before it is given up on (a stuck event loop). */
    private static final long STEP_MILLIS = 2000;

    private final ListenerInfo listener;
    private final ProtocolBinding binding;
    private final ChannelGroup serverChannels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger closedBeforeAdmission = new AtomicInteger();
    private final ChannelHandler watcher = new ServerChannelWatcher();
    private final ChannelHandler gate;

    private enum Look {
        GONE, NOT_ADMITTED, ADMITTED, IDLE, IN_TRANSACTION
    }

    ListenerShutdown(ListenerInfo listener, ProtocolBinding binding) {
        this.listener = listener;
        this.binding = binding;
        this.gate = new ShutdownGate(this, binding);
    }

    /** Lets the shutdown find the listener's server sockets; from the server's {@code configureBootstrap}. */
    void configureBootstrap(ServerBootstrap bootstrap) {
        bootstrap.handler(watcher);
    }

    /**
     * Tracks a new connection and puts the gate before the protocol's core handler (on the core handler's executor);
     * called once James's own handlers are in the pipeline.
     */
    void register(Channel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        ChannelHandlerContext core = pipeline.context(HandlerConstants.CORE_HANDLER);
        if (core != null) {
            EventExecutor executor = core.executor();
            pipeline.addBefore(executor == channel.eventLoop() ? null : executor, HandlerConstants.CORE_HANDLER,
                GATE_NAME, gate);
        }
    }

    /** Whether the listener is stopping: the decoder then admits nobody, the gate looks at each message. */
    boolean isDraining() {
        return draining.get();
    }

    /** The decoder closes a connection it will not admit because the listener is stopping. */
    void closeBeforeAdmission(Channel channel) {
        closedBeforeAdmission.incrementAndGet();
        channel.close();
    }

    /** How many connections of the listener are open, admitted or not. */
    int openConnections() {
        return connections.size();
    }

    /**
     * Stops the listener gracefully; returns once every connection is closed, or {@code grace} plus a few seconds at
     * most (a client that reads nothing, or a stuck event loop, cannot hold it longer). Only the first call drains.
     */
    DrainReport drain(Duration grace) {
        if (!draining.compareAndSet(false, true)) {
            return new DrainReport(0, 0, 0, 0, Duration.ZERO);
        }
        long start = System.nanoTime();
        serverChannels.close().awaitUninterruptibly(STEP_MILLIS);

        List<Channel> admitted = matching(lookAtEach(List.copyOf(connections), Channel::eventLoop, this::firstLook,
            Look.ADMITTED), Look.ADMITTED);
        Map<Channel, Look> sessions = lookAtEach(admitted, ListenerShutdown::sessionExecutor, this::sessionLook,
            Look.IN_TRANSACTION);
        List<Channel> told = matching(sessions, Look.IDLE);
        int idle = told.size();
        List<Channel> inTransaction = matching(sessions, Look.IN_TRANSACTION);

        awaitClosed(inTransaction, start + grace.toNanos());
        List<Channel> left = inTransaction.stream().filter(Channel::isOpen).collect(Collectors.toList());
        int cut = matching(lookAtEach(left, ListenerShutdown::sessionExecutor, this::lastLook, Look.IN_TRANSACTION),
            Look.IN_TRANSACTION).size();
        told.addAll(left);
        awaitClosed(told, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS));

        DrainReport report = new DrainReport(closedBeforeAdmission.get(), idle, inTransaction.size() - cut, cut,
            Duration.ofNanos(System.nanoTime() - start));
        log(report, grace);
        return report;
    }

    private void log(DrainReport report, Duration grace) {
        LOGGER.info("PROXY protocol {} listener '{}' stopped accepting connections: {} connection(s) waiting for a"
                + " PROXY header closed, {} idle session(s) closed with {}, {} session(s) in a transaction finished"
                + " within the {} ms grace period, {} cut at its end; drained in {} ms", listener.protocol().displayName(),
            listener.jmxName(), report.closedBeforeAdmission(), report.idleClosed(),
            binding.shutdownLine().map(line -> "'" + line + "'").orElse("no closing line"),
            report.finished(), grace.toMillis(), report.cut(), report.elapsed().toMillis());
    }

    private static List<Channel> matching(Map<Channel, Look> looks, Look wanted) {
        return looks.entrySet().stream().filter(entry -> entry.getValue() == wanted).map(Map.Entry::getKey)
            .collect(Collectors.toCollection(ArrayList::new));
    }

    /** On the event loop, where the decoder admits: closes a connection that has not been admitted. */
    private Look firstLook(Channel channel) {
        if (!channel.isOpen()) {
            return Look.GONE;
        }
        if (AdmittedConnection.of(channel).isEmpty()) {
            channel.pipeline().fireUserEventTriggered(StopWaiting.INSTANCE);
            return Look.NOT_ADMITTED;
        }
        return Look.ADMITTED;
    }

    /** On the session's executor, between two commands: tells an idle session, leaves one in a transaction. */
    private Look sessionLook(Channel channel) {
        if (!channel.isOpen()) {
            return Look.GONE;
        }
        if (binding.inTransaction(channel)) {
            return Look.IN_TRANSACTION;
        }
        tell(channel);
        return Look.IDLE;
    }

    /** At the end of the grace period, on the session's executor: tells the session, says whether it was cut. */
    private Look lastLook(Channel channel) {
        boolean inTransaction = channel.isOpen() && binding.inTransaction(channel);
        tell(channel);
        return inTransaction ? Look.IN_TRANSACTION : Look.IDLE;
    }

    /**
     * Runs {@code task} for each channel on its executor, all at once, and collects what each saw; a channel whose
     * executor does not answer within {@value #STEP_MILLIS} ms (busy, e.g. a slow mail queue) counts as {@code busy}.
     */
    private static Map<Channel, Look> lookAtEach(List<Channel> channels, Function<Channel, EventExecutor> executor,
                                                 Function<Channel, Look> task, Look busy) {
        Map<Channel, Future<Look>> futures = new LinkedHashMap<>();
        for (Channel channel : channels) {
            try {
                futures.put(channel, executor.apply(channel).submit(() -> task.apply(channel)));
            } catch (RuntimeException e) {
                LOGGER.debug("Cannot look at {} while stopping", channel, e);
                futures.put(channel, null);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        Map<Channel, Look> looks = new LinkedHashMap<>();
        futures.forEach((channel, future) -> {
            boolean done = future != null
                && future.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))
                && future.isSuccess();
            looks.put(channel, done ? future.getNow() : busy);
        });
        return looks;
    }

    /** Waits until each channel is closed, or until {@code deadline} ({@link System#nanoTime()}). */
    private static void awaitClosed(List<Channel> channels, long deadline) {
        for (Channel channel : channels) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            channel.closeFuture().awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
    }

    /** The executor of the protocol's core handler: where the session's state may be read. */
    private static EventExecutor sessionExecutor(Channel channel) {
        ChannelHandlerContext core = channel.pipeline().context(HandlerConstants.CORE_HANDLER);
        return core != null ? core.executor() : channel.eventLoop();
    }

    /**
     * Sends the closing line once, then closes; nothing the client sends afterwards reaches the protocol. A connection
     * not admitted (the drain gave up waiting for a busy event loop) gets no line: nothing is ever sent before admission.
     */
    void tell(Channel channel) {
        if (channel.attr(TOLD).setIfAbsent(Boolean.TRUE) != null) {
            return;
        }
        Optional<String> line = binding.shutdownLine();
        if (line.isPresent() && channel.isActive() && AdmittedConnection.of(channel).isPresent()) {
            channel.writeAndFlush(Unpooled.copiedBuffer(line.get() + "\r\n", StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Whether {@code channel} has been sent the closing line (or closed without one). */
    static boolean isTold(Channel channel) {
        return channel.hasAttr(TOLD);
    }

    /** The user event that tells the decoder to close a connection it has not admitted. */
    enum StopWaiting {
        INSTANCE
    }

    /** On each server channel: remembers it, so that stopping closes it first. */
    @ChannelHandler.Sharable
    private final class ServerChannelWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            serverChannels.add(ctx.channel());
        }
    }
}
