package dev.jamesproxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import dev.jamesproxy.hardening.testing.CountingMetricFactory;
import dev.jamesproxy.hardening.testing.TcpEmbeddedChannel;
import dev.jamesproxy.hardening.testing.TrackingAllocator;
import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.james.netty.DecoderTestKit;
import dev.jamesproxy.james.netty.ProxyMetrics;
import dev.jamesproxy.james.testing.Xml;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyHeaderParser;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Coverage-guided fuzzing of the listener's decoder stage ({@code ProxyHeaderDecoder}, exactly as a proxied
 * listener builds it) in an {@code EmbeddedChannel}: the fuzzer picks the limits, the hook verdict, the kind
 * of peer, how the byte stream is cut into reads, and one event (header timeout, peer close, exception,
 * user event) at some point. A model built on the parser alone predicts the outcome; the invariants:
 * <ul>
 *   <li>no exception escapes: none reaches the pipeline's tail, none is caught and logged by the decoder
 *   except the injected one, and the next handler sees only injected exceptions;</li>
 *   <li>at most one admission ({@code channelActive} downstream), exactly when the model admits;</li>
 *   <li>the bytes after the header reach the next handler unchanged, in order, and nothing else does;</li>
 *   <li>no ByteBuf leaks: every buffer written in, every buffer the decoder allocated and every
 *   reference-counted event has refCnt 0 at the end; the decoder never holds more than its cap plus one read;</li>
 *   <li>each decided connection is counted once: accepted, direct, rejected (with the right kind) or abandoned.</li>
 * </ul>
 * The default test run replays the kept corpus ({@code src/test/resources/dev/jamesproxy/hardening/
 * DecoderFuzzTestInputs/decoderInvariants/}, where crash reproducers go too). To fuzz (see SECURITY.md):
 * {@code JAZZER_FUZZ=1 mvn test -pl james-proxy-extension -Dtest=DecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DecoderFuzzTest {
    private static final InetSocketAddress TRUSTED = new InetSocketAddress("10.0.0.5", 51000);
    private static final InetSocketAddress DIRECT = new InetSocketAddress("10.1.0.9", 51001);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.99", 51002);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 25);
    private static final String REPLY = "554 5.7.1 fuzz denial";

    /** Hook verdicts the fuzzer chooses from; the name is the {@code <hook class>} value. */
    private static final Map<String, ProxyHook> HOOKS = Map.of(
        "accept", (connection, header) -> HookResult.OK,
        "denyWithReply", (connection, header) -> HookResult.builder().hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("554").smtpDescription("5.7.1 fuzz denial").build(),
        "denySoft", (connection, header) -> HookResult.DENYSOFT,
        "throws", (connection, header) -> {
            throw new IllegalStateException("fuzz hook failure");
        },
        "declined", (connection, header) -> HookResult.DECLINED);
    private static final List<String> HOOK_NAMES = List.of("accept", "denyWithReply", "denySoft", "throws", "declined");

    /** Limit sets: defaults; small and strict; tiny with no TLVs allowed. */
    private static final List<String> LIMITS = List.of(
        "",
        "<maxHeaderBytes>64</maxHeaderBytes><maxTlvs>2</maxTlvs><crc32c>require</crc32c>",
        "<maxHeaderBytes>16</maxHeaderBytes><maxTlvs>0</maxTlvs><crc32c>ignore</crc32c>");

    private static final CountingMetricFactory METRICS = new CountingMetricFactory();
    private static final List<Setup> SETUPS = new ArrayList<>();
    private static final List<ILoggingEvent> DECODER_ERRORS = new ArrayList<>();

    static {
        ProxyMetrics metrics = new ProxyMetrics(METRICS, ListenerInfo.Protocol.SMTP);
        for (String limits : LIMITS) {
            for (String hook : HOOK_NAMES) {
                for (boolean implicitTls : new boolean[] {false, true}) {
                    SETUPS.add(new Setup(limits, hook, implicitTls, metrics));
                }
            }
        }
    }

    private static final class Setup {
        final ProxyProtocolConfiguration configuration;
        final DecoderTestKit kit;
        final String hook;
        final boolean implicitTls;

        Setup(String limits, String hook, boolean implicitTls, ProxyMetrics metrics) {
            try {
                this.configuration = ProxyProtocolConfiguration.parse("proxiedsmtpserver", "fuzz", Xml.parse("<proxiedsmtpserver><proxyProtocol>"
                    + "<timeout>3s</timeout><trustedProxies>10.0.0.0/16</trustedProxies><direct>10.1.0.0/16</direct>"
                    + limits + "<hook class=\"" + hook + "\"/></proxyProtocol></proxiedsmtpserver>"));
                ListenerInfo listener = new ListenerInfo(ListenerInfo.Protocol.SMTP, "fuzz", List::of, implicitTls);
                this.kit = new DecoderTestKit(listener, configuration, HOOKS::get, metrics);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            this.hook = hook;
            this.implicitTls = implicitTls;
        }
    }

    private enum Event {
        NONE, TIMEOUT, PEER_CLOSE, EXCEPTION, USER_EVENT
    }

    private enum Outcome {
        WAITING, ADMITTED, REJECTED, ABANDONED
    }

    @FuzzTest(maxDuration = "10m")
    void decoderInvariants(FuzzedDataProvider data) throws Exception {
        Setup setup = SETUPS.get(data.consumeInt(0, SETUPS.size() - 1));
        int peerKind = data.consumeInt(0, 2);
        int cutCount = data.consumeInt(0, 12);
        int[] cuts = new int[cutCount];
        for (int i = 0; i < cutCount; i++) {
            cuts[i] = data.consumeInt(1, 700);
        }
        Event event = Event.values()[data.consumeInt(0, Event.values().length - 1)];
        int eventAt = data.consumeInt(0, cutCount + 1);
        byte[] stream = data.consumeRemainingAsBytes();
        run(setup, peerKind, chunks(stream, cuts), event, eventAt);
    }

    private static List<byte[]> chunks(byte[] stream, int[] cuts) {
        List<byte[]> chunks = new ArrayList<>();
        int offset = 0;
        for (int cut : cuts) {
            if (offset >= stream.length) {
                break;
            }
            int end = Math.min(stream.length, offset + cut);
            chunks.add(Arrays.copyOfRange(stream, offset, end));
            offset = end;
        }
        if (offset < stream.length) {
            chunks.add(Arrays.copyOfRange(stream, offset, stream.length));
        }
        return chunks;
    }

    private static void run(Setup setup, int peerKind, List<byte[]> chunks, Event event, int eventAt) throws Exception {
        METRICS.reset();
        DECODER_ERRORS.clear();
        InetSocketAddress peer = peerKind == 0 ? TRUSTED : peerKind == 1 ? DIRECT : STRANGER;
        TrackingAllocator allocator = new TrackingAllocator();
        Recorder next = new Recorder();
        TcpEmbeddedChannel channel = new TcpEmbeddedChannel(peer, LOCAL, allocator, setup.kit.newDecoder(), next);
        ProxyHeaderParser parser = new ProxyHeaderParser(setup.configuration.parserLimits());
        int cap = setup.kit.maxBufferedBytes();

        Outcome outcome = peerKind == 0 ? Outcome.WAITING : peerKind == 1 ? Outcome.ADMITTED : Outcome.REJECTED;
        String rejectedKind = peerKind == 2 ? "untrusted" : null;
        boolean expectReply = false;
        int injectedExceptions = 0;
        int exceptionsToDecoder = 0;
        ByteArrayOutputStream waiting = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedForwarded = new ByteArrayOutputStream();
        List<ByteBuf> written = new ArrayList<>();
        List<ByteBuf> events = new ArrayList<>();
        int largestRead = 0;
        int largestHeld = 0;
        boolean open = outcome != Outcome.REJECTED;

        for (int i = 0; i <= chunks.size(); i++) {
            // Netty delivers no event to a closed channel (its pipeline is gone): inject only into an open one
            if (i == Math.min(eventAt, chunks.size()) && event != Event.NONE && channel.isOpen()) {
                switch (event) {
                    case TIMEOUT:
                        channel.advanceTimeBy(setup.configuration.timeout().toMillis() + 1, TimeUnit.MILLISECONDS);
                        channel.runPendingTasks();
                        if (outcome == Outcome.WAITING) {
                            outcome = Outcome.REJECTED;
                            rejectedKind = "timeout";
                            open = false;
                        }
                        break;
                    case PEER_CLOSE:
                        channel.close();
                        if (outcome == Outcome.WAITING) {
                            outcome = Outcome.ABANDONED;
                        }
                        open = false;
                        break;
                    case EXCEPTION:
                        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
                        if (outcome == Outcome.ADMITTED) {
                            injectedExceptions++;
                        } else {
                            exceptionsToDecoder++;
                        }
                        if (outcome == Outcome.WAITING) {
                            outcome = Outcome.ABANDONED;
                            open = false;
                        }
                        break;
                    case USER_EVENT:
                        ByteBuf userEvent = Unpooled.buffer(8).writeLong(42);
                        events.add(userEvent);
                        channel.pipeline().fireUserEventTriggered(userEvent);
                        break;
                    default:
                        break;
                }
            }
            if (i == chunks.size() || !open) {
                continue;
            }
            byte[] chunk = chunks.get(i);
            largestRead = Math.max(largestRead, chunk.length);
            ByteBuf in = Unpooled.buffer(chunk.length).writeBytes(chunk);
            written.add(in);
            channel.writeInbound(in);
            largestHeld = Math.max(largestHeld, allocator.largestLiveCapacity());
            if (outcome == Outcome.ADMITTED) {
                expectedForwarded.writeBytes(chunk);
                continue;
            }
            waiting.writeBytes(chunk);
            byte[] seen = waiting.toByteArray();
            ParseResult result = parser.parse(seen, 0, Math.min(seen.length, cap));
            if (result.isIncomplete()) {
                if (seen.length >= cap) {
                    outcome = Outcome.REJECTED;
                    rejectedKind = "oversize";
                    open = false;
                }
            } else if (result.isInvalid()) {
                outcome = Outcome.REJECTED;
                rejectedKind = null;
                open = false;
            } else if (setup.hook.equals("accept")) {
                outcome = Outcome.ADMITTED;
                expectedForwarded.write(seen, result.headerLength(), seen.length - result.headerLength());
            } else {
                outcome = Outcome.REJECTED;
                rejectedKind = "hook";
                expectReply = setup.hook.equals("denyWithReply") && !setup.implicitTls;
                open = false;
            }
        }

        // what went out: only a hook's reply line, only when the model expects it
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object message; (message = channel.readOutbound()) != null;) {
            ByteBuf buffer = (ByteBuf) message;
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            buffer.release();
            out.writeBytes(bytes);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expectReply ? REPLY + "\r\n" : "");

        assertThat(next.active).as("admissions").isEqualTo(outcome == Outcome.ADMITTED ? 1 : 0);
        assertThat(next.received.toByteArray()).as("bytes after the header").isEqualTo(expectedForwarded.toByteArray());
        assertThat(next.exceptions).as("exceptions reaching the next handler").hasSize(injectedExceptions);
        assertThat(DECODER_ERRORS).as("exceptions caught by the decoder").hasSize(exceptionsToDecoder)
            .allSatisfy(logged -> assertThat(logged.getThrowableProxy().getMessage()).isEqualTo("Connection reset by peer"));
        assertThat(channel.isOpen()).as("open").isEqualTo(outcome == Outcome.ADMITTED && open || outcome == Outcome.WAITING);
        if (outcome == Outcome.ADMITTED) {
            assertThat(channel.pipeline().get(DecoderTestKit.NAME)).as("decoder removed after admission").isNull();
        }
        checkCounted(outcome, rejectedKind, peerKind, event);
        assertThat(largestHeld).as("most bytes held").isLessThanOrEqualTo(Math.max(256, 2 * (cap + largestRead)));

        channel.finishAndReleaseAll();
        channel.checkException();
        assertThat(next.exceptions).hasSize(injectedExceptions);
        for (ByteBuf buffer : written) {
            assertThat(buffer.refCnt()).as("refCnt of a buffer written in").isZero();
        }
        for (ByteBuf buffer : events) {
            assertThat(buffer.refCnt()).as("refCnt of a user event").isZero();
        }
        assertThat(allocator.unreleased()).as("buffers the decoder allocated and kept").isEmpty();
    }

    private static void checkCounted(Outcome outcome, String rejectedKind, int peerKind, Event event) {
        long accepted = METRICS.count(ProxyMetrics.ACCEPTED);
        long direct = METRICS.count(ProxyMetrics.DIRECT);
        long rejected = METRICS.count(ProxyMetrics.REJECTED);
        long abandoned = METRICS.count(ProxyMetrics.ABANDONED);
        assertThat(accepted + direct + rejected + abandoned).as("outcome counters for %s (%s) after %s", outcome, rejectedKind, event)
            .isEqualTo(outcome == Outcome.WAITING ? 0 : 1);
        switch (outcome) {
            case ADMITTED:
                assertThat(peerKind == 1 ? direct : accepted).isEqualTo(1);
                break;
            case REJECTED:
                assertThat(rejected).isEqualTo(1);
                if (rejectedKind != null) {
                    assertThat(METRICS.count("proxyProtocol.rejected." + rejectedKind)).as(rejectedKind).isEqualTo(1);
                }
                break;
            case ABANDONED:
                assertThat(abandoned).isEqualTo(1);
                break;
            default:
                break;
        }
    }

    /** The handler after the decoder: records what it is given and releases it. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        int active;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Throwable> exceptions = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active++;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buffer = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                received.writeBytes(bytes);
            } finally {
                buffer.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            ReferenceCountUtil.release(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }

    private static Level previousProjectLevel;
    private static AppenderBase<ILoggingEvent> decoderErrors;

    /** Rejections are logged once per connection: far too many lines for a fuzzer. Keep only the decoder's DEBUG errors. */
    @BeforeAll
    static void quietLogs() {
        Logger project = (Logger) LoggerFactory.getLogger("dev.jamesproxy");
        previousProjectLevel = project.getLevel();
        project.setLevel(Level.OFF);
        Logger decoder = (Logger) LoggerFactory.getLogger("dev.jamesproxy.james.netty.HeaderDecoder");
        decoder.setLevel(Level.DEBUG);
        decoder.setAdditive(false);
        decoderErrors = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getThrowableProxy() != null) {
                    DECODER_ERRORS.add(event);
                }
            }
        };
        decoderErrors.start();
        decoder.addAppender(decoderErrors);
    }

    /** The same JVM runs the other tests, some of which read these log lines. */
    @AfterAll
    static void restoreLogs() {
        ((Logger) LoggerFactory.getLogger("dev.jamesproxy")).setLevel(previousProjectLevel);
        Logger decoder = (Logger) LoggerFactory.getLogger("dev.jamesproxy.james.netty.HeaderDecoder");
        decoder.detachAppender(decoderErrors);
        decoder.setLevel(null);
        decoder.setAdditive(true);
    }
}
