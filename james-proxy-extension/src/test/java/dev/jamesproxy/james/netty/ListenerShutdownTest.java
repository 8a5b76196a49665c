package dev.jamesproxy.james.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.HandlerConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.hooks.AcceptValidHeaders;
import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.SmtpClient;
import dev.jamesproxy.james.testing.Xml;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultEventExecutorGroup;

/**
 * The drain of a stopping listener, on a real loopback server built like James's: James's own pipeline factory (the
 * framer on its own executor, as in James, so that lines are in flight between threads) behind the PROXY decoder, and
 * a toy line protocol as the core handler: {@code MAIL} opens a transaction, {@code DOT} ends it ({@code 250 queued}),
 * {@code FLOOD} answers with {@value #FLOOD_BYTES} bytes (more than the socket buffers hold while the client does not
 * read, so that what the server writes next stays pending), anything else is answered {@code 250 ok}. A spy after the
 * framer sees every line framed, answered or not. 127.0.0.1 connects {@code direct}; 127.0.0.2 is a trusted proxy
 * that never sends its header; 127.0.0.3 is neither, for probes.
 */
class ListenerShutdownTest {
    private static final String CLOSING_LINE = "421 4.3.2 closing";
    private static final AttributeKey<Boolean> IN_TRANSACTION = AttributeKey.valueOf("test.inTransaction");
    private static final int FLOOD_BYTES = 32 * 1024 * 1024;

    private final NioEventLoopGroup boss = new NioEventLoopGroup(1);
    private final NioEventLoopGroup loops = new NioEventLoopGroup(2);
    private final DefaultEventExecutorGroup framers = new DefaultEventExecutorGroup(2);
    private final List<String> processed = new CopyOnWriteArrayList<>();
    private final List<String> framed = new CopyOnWriteArrayList<>();
    private ListenerContext context;
    private int port;

    @AfterEach
    void stop() throws Exception {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        framers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private void start(String grace) throws Exception {
        ProxyProtocolConfiguration configuration = ProxyProtocolConfiguration.parse("proxiedsmtpserver", "drained",
            Xml.parse("<proxiedsmtpserver><proxyProtocol><timeout>30s</timeout><trustedProxies>127.0.0.2</trustedProxies>"
                + "<direct>127.0.0.1</direct><shutdownGrace>" + grace + "</shutdownGrace></proxyProtocol></proxiedsmtpserver>"));
        ProtocolBinding binding = new ProtocolBinding() {
            @Override
            public ListenerInfo.Protocol protocol() {
                return ListenerInfo.Protocol.SMTP;
            }

            @Override
            public String rejectionLine(Reply reply) {
                return reply.toString();
            }

            @Override
            public Optional<String> shutdownLine() {
                return Optional.of(CLOSING_LINE);
            }

            @Override
            public boolean inTransaction(Channel channel) {
                return Boolean.TRUE.equals(channel.attr(IN_TRANSACTION).get());
            }
        };
        ListenerInfo listener = new ListenerInfo(ListenerInfo.Protocol.SMTP, "drained", List::of, false);
        HookChain hooks = HookChain.load("drained", List.of(new ProxyProtocolConfiguration.HookDefinition("accept",
            new BaseHierarchicalConfiguration())), className -> new AcceptValidHeaders());
        context = new ListenerContext(listener, configuration, hooks,
            new ProxyMetrics(new RecordingMetricFactory(), ListenerInfo.Protocol.SMTP), binding, Optional.empty());
        AbstractChannelPipelineFactory<SocketChannel> stock = new AbstractChannelPipelineFactory<>(0, 0, 0, false,
            pipeline -> new LineBasedFrameDecoder(1000), framers) {
            @Override
            protected void initChannel(SocketChannel channel) throws Exception {
                super.initChannel(channel);
                channel.pipeline().addAfter(HandlerConstants.FRAMER, "spy", new Spy());
            }

            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return new ToyProtocol();
            }
        };
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, loops).channel(NioServerSocketChannel.class)
            .childHandler(ListenerSetup.proxiedPipeline(stock, context));
        context.configureBootstrap(bootstrap);
        Channel server = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    private CompletableFuture<DrainReport> drainInTheBackground() throws IOException {
        CompletableFuture<DrainReport> report = CompletableFuture.supplyAsync(context::drain);
        awaitRefused();
        return report;
    }

    /** Waits until the drain has closed the server socket (probing from an address that is never admitted). */
    private void awaitRefused() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName("127.0.0.3"), 0)) {
                sleep(20);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("the listener still accepts connections");
    }

    private void awaitOpenConnections(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (context.shutdown().openConnections() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(context.shutdown().openConnections() + " connections open, not " + count);
            }
            sleep(10);
        }
    }

    private void await(List<String> lines, String line) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!lines.contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(line + " never came: " + lines);
            }
            sleep(10);
        }
    }

    private SmtpClient direct() throws IOException {
        SmtpClient client = SmtpClient.connect("127.0.0.1", port);
        assertThat(client.readReply()).isEqualTo("220 toy");
        return client;
    }

    @Test
    void idleSessionsShouldGetTheClosingLineAtOnceAndConnectionsWaitingForTheirHeaderNothing() throws Exception {
        start("10s");
        SmtpClient idle = direct();
        Socket waiting = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName("127.0.0.2"), 0);
        waiting.setSoTimeout(5000);
        awaitOpenConnections(2);

        try (LogCapture logs = LogCapture.open(); idle; waiting) {
            DrainReport report = CompletableFuture.supplyAsync(context::drain).get(5, TimeUnit.SECONDS);

            assertThat(idle.readReply()).isEqualTo(CLOSING_LINE);
            assertThat(idle.readUntilClosed(Duration.ofSeconds(2))).isEmpty();
            assertThat(waiting.getInputStream().read()).as("no byte before the close").isEqualTo(-1);
            assertThat(report.closedBeforeAdmission()).isEqualTo(1);
            assertThat(report.idleClosed()).isEqualTo(1);
            assertThat(report.finished()).isZero();
            assertThat(report.cut()).isZero();
            assertThat(report.elapsed()).as("nobody was in a transaction: no wait for the grace period")
                .isLessThan(Duration.ofSeconds(3));
            String logged = logs.await(line -> line.contains("stopped accepting"), Duration.ZERO).orElseThrow().getFormattedMessage();
            assertThat(logged).startsWith("PROXY protocol SMTP listener 'drained' stopped accepting connections: 1 connection(s)"
                + " waiting for a PROXY header closed, 1 idle session(s) closed with '" + CLOSING_LINE + "', 0 session(s)"
                + " in a transaction finished within the 10000 ms grace period, 0 cut at its end; drained in ");
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aSessionInATransactionShouldFinishItThenGetTheClosingLineInsteadOfTheAnswerToItsNextCommand() throws Exception {
        start("10s");
        try (SmtpClient client = direct()) {
            assertThat(client.command("MAIL")).isEqualTo("250 mail");

            CompletableFuture<DrainReport> drained = drainInTheBackground();
            assertThat(client.command("DATA LINE")).isEqualTo("250 ok");
            assertThat(client.command("DOT")).isEqualTo("250 queued");
            assertThat(client.command("QUIT")).isEqualTo(CLOSING_LINE);
            assertThat(client.readUntilClosed(Duration.ofSeconds(2))).isEmpty();

            DrainReport report = drained.get(5, TimeUnit.SECONDS);
            assertThat(report.finished()).isEqualTo(1);
            assertThat(report.cut()).isZero();
            assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(processed).containsExactly("MAIL", "DATA LINE", "DOT");
    }

    @Test
    void aSessionStillInItsTransactionAtTheEndOfTheGraceShouldBeCutAndWhatItSendsAfterwardsIgnored() throws Exception {
        start("300ms");
        try (SmtpClient client = direct()) {
            assertThat(client.command("MAIL")).isEqualTo("250 mail");
            // The client reads nothing for a while: the server's writes, the closing line too, stay pending.
            client.send("FLOOD\r\n");
            await(processed, "FLOOD");

            CompletableFuture<DrainReport> drained = drainInTheBackground();
            sleep(800);
            // The session has been cut, but its closing line is not out yet, so the connection is still open: this
            // line is read and framed, and must not reach the protocol.
            client.send("DOT\r\n");
            await(framed, "DOT");
            String line;
            do {
                line = client.readLine(Duration.ofSeconds(5));
            } while (line.startsWith("x"));
            assertThat(line).isEqualTo(CLOSING_LINE);
            assertThat(client.readUntilClosed(Duration.ofSeconds(2))).isEmpty();

            DrainReport report = drained.get(5, TimeUnit.SECONDS);
            assertThat(report.cut()).isEqualTo(1);
            assertThat(report.finished()).isZero();
        }
        assertThat(processed).containsExactly("MAIL", "FLOOD");
    }

    @Test
    void aZeroGraceShouldCutEveryTransactionAtOnce() throws Exception {
        start("0");
        try (SmtpClient inTransaction = direct(); SmtpClient idle = direct()) {
            assertThat(inTransaction.command("MAIL")).isEqualTo("250 mail");

            DrainReport report = CompletableFuture.supplyAsync(context::drain).get(5, TimeUnit.SECONDS);

            assertThat(inTransaction.readReply()).isEqualTo(CLOSING_LINE);
            assertThat(idle.readReply()).isEqualTo(CLOSING_LINE);
            assertThat(report.idleClosed()).isEqualTo(1);
            assertThat(report.cut()).isEqualTo(1);
            assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void onlyTheFirstDrainShouldDoAnything() throws Exception {
        start("1s");
        context.drain();

        DrainReport second = context.drain();

        assertThat(second.toString()).isEqualTo("closedBeforeAdmission=0, idleClosed=0, finished=0, cut=0, elapsed=0 ms");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records every line the framer produced, before the gate. */
    private final class Spy extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            framed.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII).trim());
            ctx.fireChannelRead(msg);
        }
    }

    /** The toy protocol: one instance per connection, on the event loop. */
    private final class ToyProtocol extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            reply(ctx, "220 toy");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            String command = line.toString(StandardCharsets.US_ASCII).trim();
            line.release();
            processed.add(command);
            switch (command) {
                case "MAIL":
                    ctx.channel().attr(IN_TRANSACTION).set(true);
                    reply(ctx, "250 mail");
                    break;
                case "DOT":
                    ctx.channel().attr(IN_TRANSACTION).set(false);
                    reply(ctx, "250 queued");
                    break;
                case "FLOOD":
                    byte[] flood = new byte[FLOOD_BYTES];
                    Arrays.fill(flood, (byte) 'x');
                    for (int i = 1023; i < flood.length; i += 1024) {
                        flood[i - 1] = '\r';
                        flood[i] = '\n';
                    }
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(flood));
                    break;
                case "QUIT":
                    ctx.writeAndFlush(Unpooled.copiedBuffer("221 bye\r\n", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
                    break;
                default:
                    reply(ctx, "250 ok");
                    break;
            }
        }

        private void reply(ChannelHandlerContext ctx, String text) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII));
        }
    }
}
