package dev.jamesproxy.hardening;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.hardening.testing.LeakWatch;
import dev.jamesproxy.james.ScriptedHook;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;
import dev.jamesproxy.james.testing.TestProbe;

/**
 * The same bad input against every protocol: one real James memory server with two proxied listeners per protocol
 * (badinput-*.xml: a 1 s header timeout, a 256-byte header cap, 2 connections per client; the first judged by
 * {@link ScriptedHook} then AcceptValidHeaders, the second without any hook). One row per protocol and case:
 * untrusted peer, malformed header, oversize header, slow header, silent peer, throwing hook, no hook, client limit.
 * Each bad connection must be closed without a byte (the client limit: with the protocol's one refusal line), counted
 * under its own rejection kind, and lose nothing: a legitimate session on the same listener is admitted and answered
 * right after. After each row no server-side connection is left on any listener and no thread was started; after the
 * whole matrix, Netty's leak detector (paranoid in the build, see pom.xml) reports no lost buffer and no thread is left
 * beyond those the warm-up started. 127.0.0.1 is the trusted proxy, 127.0.0.2 the no-hook listener's direct peer,
 * 127.0.0.3 an untrusted host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputPerProtocolTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";
    private static final String BUSY_CLIENT = "203.0.113.50";
    private static final String OTHER_CLIENT = "203.0.113.51";
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration LINE_WAIT = Duration.ofSeconds(10);
    private static final Duration LEAK_GRACE = Duration.ofSeconds(10);
    private static final String TOO_MANY = "Too many connections from your address, try again later";
    private static final int WARM_UP_SESSIONS = 64;

    /** A protocol: its listeners, the header's destination port, and how its sessions greet, answer and refuse. */
    enum Protocol {
        /** SMTP and LMTP greet, answer and refuse alike: the defaults below. */
        SMTP("smtp", 25, "EHLO client.example", "smtpserver.xml"),
        IMAP("imap", 143, "a1 CAPABILITY", "imapserver.xml") {
            @Override
            void assertGreeted(SmtpClient client) throws IOException {
                assertThat(client.readLine(LINE_WAIT)).as("IMAP greeting").startsWith("* OK ");
            }

            @Override
            void assertAnswers(SmtpClient client) throws IOException {
                client.send("n1 NOOP\r\n");
                String line = client.readLine(LINE_WAIT);
                while (!line.startsWith("n1 ")) {
                    line = client.readLine(LINE_WAIT);
                }
                assertThat(line).as("answer to NOOP").isEqualTo("n1 OK NOOP completed.");
            }

            @Override
            String refusal(String text) {
                return "* BYE " + text;
            }
        },
        POP3("pop3", 110, "CAPA", "pop3server.xml") {
            @Override
            void assertGreeted(SmtpClient client) throws IOException {
                assertThat(client.readLine(LINE_WAIT)).as("POP3 greeting").startsWith("+OK");
            }

            @Override
            void assertAnswers(SmtpClient client) throws IOException {
                client.send("CAPA\r\n");
                assertThat(client.readLine(LINE_WAIT)).as("answer to CAPA").startsWith("+OK");
                List<String> capabilities = new ArrayList<>();
                for (String line = client.readLine(LINE_WAIT); !line.equals("."); line = client.readLine(LINE_WAIT)) {
                    capabilities.add(line);
                }
                assertThat(capabilities).as("capabilities").contains("USER");
            }

            @Override
            String refusal(String text) {
                return "-ERR " + text;
            }
        },
        LMTP("lmtp", 24, "LHLO client.example", "lmtpserver.xml"),
        MANAGESIEVE("managesieve", 4190, "CAPABILITY", "managesieveserver.xml") {
            @Override
            void assertGreeted(SmtpClient client) throws IOException {
                assertThat(sieveResponse(client)).as("ManageSieve greeting").contains("\"IMPLEMENTATION\"").endsWith("\nOK");
            }

            @Override
            void assertAnswers(SmtpClient client) throws IOException {
                client.send("CAPABILITY\r\n");
                assertThat(sieveResponse(client)).as("answer to CAPABILITY").contains("\"IMPLEMENTATION\"").endsWith("\nOK");
            }

            @Override
            String refusal(String text) {
                return "BYE \"" + text + "\"";
            }
        };

        private final String key;
        private final int port;
        private final String command;
        private final String confFile;

        Protocol(String key, int port, String command, String confFile) {
            this.key = key;
            this.port = port;
            this.command = command;
            this.confFile = confFile;
        }

        /** Reads the greeting an admitted session gets, failing when it is not the protocol's greeting (SMTP, LMTP: 220). */
        void assertGreeted(SmtpClient client) throws IOException {
            assertThat(client.readReply()).as(name() + " greeting").startsWith("220 ");
        }

        /** Sends one harmless command and checks its answer (SMTP, LMTP: NOOP, 250). */
        void assertAnswers(SmtpClient client) throws IOException {
            assertThat(client.command("NOOP")).as("answer to NOOP").startsWith("250 ");
        }

        /** The protocol's one line for a refusal with {@code text}, without CRLF (SMTP, LMTP: 421 4.7.0). */
        String refusal(String text) {
            return "421 4.7.0 " + text;
        }

        String listener() {
            return "badinput-" + key;
        }

        String noHookListener() {
            return "badinput-" + key + "-nohook";
        }

        /** The per-protocol name of an extension metric, e.g. {@code proxyProtocol.imap.rejected.timeout}. */
        String metric(String name) {
            return "proxyProtocol." + key + "." + name;
        }

        byte[] header(String client) {
            return ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.10", port);
        }

        /** A command pipelined behind a bad header: it must never be answered. */
        byte[] command() {
            return ascii(command + "\r\n");
        }

        String resource() {
            return "/badinput-" + confFile;
        }
    }

    /** The bad cases; {@link #rejectedAs} is the rejection kind each must be counted under. */
    enum Case {
        UNTRUSTED("untrusted"),
        MALFORMED("malformed"),
        OVERSIZE("oversize"),
        SLOW("timeout"),
        TIMEOUT("timeout"),
        HOOK_THROWS("hook"),
        NO_HOOK("hook"),
        CLIENT_LIMIT("clientLimit");

        private final String rejectedAs;

        Case(String rejectedAs) {
            this.rejectedAs = rejectedAs;
        }

        /** A client address of this case's own, so that the per-client limit of one row never touches another. */
        String client() {
            return "203.0.113." + (20 + ordinal());
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final Map<Protocol, Integer> ports = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Integer> noHookPorts = new EnumMap<>(Protocol.class);
    private JamesHarness james;
    /** Threads and LEAK lines of one row, opened before it. */
    private LeakWatch rowWatch;
    /** Threads and LEAK lines of the whole matrix, from the end of the warm-up. */
    private LeakWatch runWatch;

    @BeforeAll
    void startJames() throws Exception {
        runWatch = LeakWatch.open();
        Map<String, String> conf = new HashMap<>();
        for (Protocol protocol : Protocol.values()) {
            if (protocol != Protocol.SMTP) {
                conf.put(protocol.confFile, resource(protocol.resource()));
            }
        }
        james = JamesHarness.start(resource(Protocol.SMTP.resource()), null, conf);
        for (Protocol protocol : Protocol.values()) {
            ports.put(protocol, JamesHarness.port(protocol.listener()));
            noHookPorts.put(protocol, JamesHarness.port(protocol.noHookListener()));
        }
        warmUp();
        for (Protocol protocol : Protocol.values()) {
            assertNoServerConnections(protocol);
        }
        runWatch.snapshotThreads();
    }

    /**
     * Starts every lazily created thread (each listener's event loops and executors) before the thread snapshots, with
     * as many sessions per listener as HostileClientsTest: only threads beyond those count as leaks.
     */
    private void warmUp() throws Exception {
        for (Protocol protocol : Protocol.values()) {
            for (int i = 0; i < WARM_UP_SESSIONS; i++) {
                try (SmtpClient client = SmtpClient.connect(PROXY, ports.get(protocol))) {
                    client.send(protocol.header("203.0.113." + (100 + i)));
                    protocol.assertGreeted(client);
                    protocol.assertAnswers(client);
                }
                try (SmtpClient client = SmtpClient.connect(DIRECT, noHookPorts.get(protocol))) {
                    protocol.assertGreeted(client);
                    protocol.assertAnswers(client);
                }
                // The rejection path too; what it answers is for the rows to judge.
                try (SmtpClient client = SmtpClient.connect(PROXY, noHookPorts.get(protocol))) {
                    client.send(protocol.header("203.0.113." + (100 + i)));
                    client.isClosedWithin(CLOSE_WAIT);
                }
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BadInputPerProtocolTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
        if (runWatch != null) {
            runWatch.close();
        }
    }

    @BeforeEach
    void snapshot() throws Exception {
        rowWatch = LeakWatch.open();
        for (Protocol protocol : Protocol.values()) {
            assertNoServerConnections(protocol);
        }
        rowWatch.snapshotThreads();
    }

    /**
     * The leak checks after each row. The forced Netty check (a few garbage collections) is the last test's; here only
     * LEAK lines the detector happened to log during the row count (a buffer lost in this row or an earlier one).
     */
    @AfterEach
    void noLeaks() throws Exception {
        try {
            for (Protocol protocol : Protocol.values()) {
                assertNoServerConnections(protocol);
            }
            rowWatch.assertNoNewThreads(LEAK_GRACE);
            assertThat(rowWatch.leaks()).as("Netty LEAK reports during the row (ResourceLeakDetector at %s)", LeakWatch.level())
                .isEmpty();
        } finally {
            rowWatch.close();
        }
    }

    private void assertNoServerConnections(Protocol protocol) throws InterruptedException {
        LeakWatch.assertNoServerConnections(ports.get(protocol), LEAK_GRACE, protocol.listener());
        LeakWatch.assertNoServerConnections(noHookPorts.get(protocol), LEAK_GRACE, protocol.noHookListener());
    }

    private TestProbe probe() {
        return james.probe();
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (Protocol protocol : Protocol.values()) {
            for (Case badCase : Case.values()) {
                rows.add(Arguments.of(protocol, badCase));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    @Order(1)
    void badInputShouldBeClosedWithoutAByteAndLoseNothing(Protocol protocol, Case badCase) throws Exception {
        Counters before = new Counters(protocol);
        int port = ports.get(protocol);
        String client = badCase.client();
        int admitted = 1;
        int direct = 0;
        switch (badCase) {
            case UNTRUSTED:
                try (BadPeer peer = BadPeer.connect(STRANGER, port)) {
                    peer.send(concat(protocol.header(client), protocol.command()));
                    assertClosedWithoutAByte(peer.awaitClose(CLOSE_WAIT));
                }
                break;
            case MALFORMED:
                try (BadPeer peer = BadPeer.connect(PROXY, port)) {
                    peer.send(concat(ascii("PROXY TCP4 203.0.113.256 192.0.2.10 40000 " + protocol.port + "\r\n"),
                        protocol.command()));
                    assertClosedWithoutAByte(peer.awaitClose(CLOSE_WAIT));
                }
                assertThat(probe().metric(protocol.metric("rejected.parse.v1-bad-address")) - before.badAddress)
                    .as("rejections for v1-bad-address").isEqualTo(1);
                break;
            case OVERSIZE:
                byte[] big = ProxyHeaders.v2(client, 40000, "192.0.2.10", protocol.port).tlv(0x04, new byte[600]).build();
                assertThat(big.length).as("header length, above <maxHeaderBytes>256</maxHeaderBytes>").isGreaterThan(256);
                try (BadPeer peer = BadPeer.connect(PROXY, port)) {
                    peer.send(concat(big, protocol.command()));
                    assertClosedWithoutAByte(peer.awaitClose(CLOSE_WAIT));
                }
                break;
            case SLOW:
                try (BadPeer peer = BadPeer.connect(PROXY, port)) {
                    // 1 byte every 300 ms: the 1 s timeout runs from the connection, not from the last byte.
                    Outcome outcome = peer.trickle(protocol.header(client), Duration.ofMillis(300), CLOSE_WAIT);
                    assertClosedWithoutAByte(outcome);
                    assertThat(outcome.sent).as("header bytes trickled before the close").isBetween(3, 10);
                    assertClosedAtTheTimeout(outcome);
                }
                break;
            case TIMEOUT:
                try (BadPeer peer = BadPeer.connect(PROXY, port)) {
                    Outcome outcome = peer.awaitClose(CLOSE_WAIT);
                    assertClosedWithoutAByte(outcome);
                    assertClosedAtTheTimeout(outcome);
                }
                break;
            case HOOK_THROWS:
                try (LogCapture logs = LogCapture.open(); BadPeer peer = BadPeer.connect(PROXY, port)) {
                    peer.send(concat(protocol.header(ScriptedHook.THROWS), protocol.command()));
                    assertClosedWithoutAByte(peer.awaitClose(CLOSE_WAIT));
                    ILoggingEvent failed = logs.await(m -> m.contains("PROXY hook dev.jamesproxy.james.ScriptedHook failed"),
                        Duration.ofSeconds(3)).orElseThrow(() -> new AssertionError("no log line of the hook's failure"));
                    assertThat(failed.getThrowableProxy().getMessage()).isEqualTo("scripted failure");
                }
                break;
            case NO_HOOK:
                try (BadPeer peer = BadPeer.connect(PROXY, noHookPorts.get(protocol))) {
                    peer.send(concat(protocol.header(client), protocol.command()));
                    assertClosedWithoutAByte(peer.awaitClose(CLOSE_WAIT));
                }
                // The listener itself still works: its direct peer needs no hook.
                try (SmtpClient session = SmtpClient.connect(DIRECT, noHookPorts.get(protocol))) {
                    protocol.assertGreeted(session);
                    protocol.assertAnswers(session);
                }
                direct = 1;
                break;
            case CLIENT_LIMIT:
                clientLimit(protocol, port);
                client = BUSY_CLIENT;
                admitted = 4;
                break;
            default:
                throw new AssertionError(badCase);
        }

        // Nothing lost: the same listener admits and answers a legitimate session right after (after the client
        // limit: the busy client itself, once its sessions are closed).
        try (SmtpClient session = SmtpClient.connect(PROXY, port)) {
            session.send(protocol.header(client));
            protocol.assertGreeted(session);
            protocol.assertAnswers(session);
        }

        Counters after = new Counters(protocol);
        assertThat(after.rejectedAs(badCase) - before.rejectedAs(badCase)).as("rejections counted as %s", badCase.rejectedAs)
            .isEqualTo(1);
        assertThat(after.rejected - before.rejected).as("rejections of any kind").isEqualTo(1);
        assertThat(after.abandoned - before.abandoned).as("connections counted as abandoned by the client").isZero();
        assertThat(after.accepted - before.accepted).as("proxied sessions admitted").isEqualTo(admitted);
        assertThat(after.direct - before.direct).as("direct sessions admitted").isEqualTo(direct);
    }

    /**
     * Two sessions of one client are admitted, a third of the same client is refused with the protocol's line while
     * another client is admitted; the two admitted sessions still answer after the refusal.
     */
    private void clientLimit(Protocol protocol, int port) throws Exception {
        try (SmtpClient first = SmtpClient.connect(PROXY, port); SmtpClient second = SmtpClient.connect(PROXY, port)) {
            first.send(protocol.header(BUSY_CLIENT));
            protocol.assertGreeted(first);
            second.send(protocol.header(BUSY_CLIENT));
            protocol.assertGreeted(second);

            try (BadPeer third = BadPeer.connect(PROXY, port)) {
                third.send(concat(protocol.header(BUSY_CLIENT), protocol.command()));
                Outcome outcome = third.awaitClose(CLOSE_WAIT);
                assertThat(outcome.closed()).as("third session of %s closed by the server", BUSY_CLIENT).isTrue();
                assertThat(outcome.text()).as("answer to the third session of %s", BUSY_CLIENT)
                    .isEqualTo(protocol.refusal(TOO_MANY) + "\r\n");
            }
            try (SmtpClient other = SmtpClient.connect(PROXY, port)) {
                other.send(protocol.header(OTHER_CLIENT));
                protocol.assertGreeted(other);
                protocol.assertAnswers(other);
            }

            protocol.assertAnswers(first);
            protocol.assertAnswers(second);
        }
        // The busy client's two places are free again once the server has closed its side.
        LeakWatch.assertNoServerConnections(port, LEAK_GRACE, protocol.listener());
    }

    /** Reads ManageSieve lines up to the first {@code OK}, {@code NO} or {@code BYE} response; lines joined with \n. */
    private static String sieveResponse(SmtpClient client) throws IOException {
        StringBuilder lines = new StringBuilder();
        while (true) {
            String line = client.readLine(LINE_WAIT);
            lines.append(lines.length() == 0 ? "" : "\n").append(line);
            if (line.startsWith("OK") || line.startsWith("NO") || line.startsWith("BYE")) {
                return lines.toString();
            }
        }
    }

    private static void assertClosedWithoutAByte(Outcome outcome) {
        assertThat(outcome.text()).as("bytes the server sent").isEmpty();
        assertThat(outcome.closed()).as("connection closed by the server within %s", CLOSE_WAIT).isTrue();
    }

    private static void assertClosedAtTheTimeout(Outcome outcome) {
        assertThat(outcome.closedAfterMillis).as("ms from the connection to the close (<timeout>1s</timeout>)")
            .isBetween(HEADER_TIMEOUT.toMillis() - 100, HEADER_TIMEOUT.toMillis() + 1500);
    }

    /** After the whole matrix: no buffer lost (paranoid leak detection in the build) and no thread left. */
    @Test
    @Order(2)
    void noBufferOrThreadShouldBeLeftAfterTheMatrix() throws Exception {
        if (LeakWatch.paranoidRequested()) {
            assertThat(LeakWatch.level()).hasToString("PARANOID");
        } else {
            System.err.println("!!! Netty leak detection is " + LeakWatch.level()
                + ": run with -Dio.netty.leakDetection.level=paranoid (mvn verify does) for full buffer tracking !!!");
        }
        runWatch.assertNoNettyLeaks();
        runWatch.assertNoNewThreads(LEAK_GRACE);
    }

    /** The extension's counters of one protocol, read at one moment. */
    private final class Counters {
        private final Map<String, Long> byKind = new HashMap<>();
        private final long rejected;
        private final long abandoned;
        private final long accepted;
        private final long direct;
        private final long badAddress;

        Counters(Protocol protocol) {
            for (Case badCase : Case.values()) {
                byKind.put(badCase.rejectedAs, probe().metric(protocol.metric("rejected." + badCase.rejectedAs)));
            }
            rejected = probe().metric(protocol.metric("rejected"));
            abandoned = probe().metric(protocol.metric("abandoned"));
            accepted = probe().metric(protocol.metric("accepted"));
            direct = probe().metric(protocol.metric("direct"));
            badAddress = probe().metric(protocol.metric("rejected.parse.v1-bad-address"));
        }

        long rejectedAs(Case badCase) {
            return byKind.get(badCase.rejectedAs);
        }
    }

    /** What a bad peer saw: the bytes the server sent, when it closed (-1: still open), how many bytes were sent. */
    private static final class Outcome {
        private final byte[] received;
        private final long closedAfterMillis;
        private final int sent;

        Outcome(byte[] received, long closedAfterMillis, int sent) {
            this.received = received;
            this.closedAfterMillis = closedAfterMillis;
            this.sent = sent;
        }

        boolean closed() {
            return closedAfterMillis >= 0;
        }

        String text() {
            return new String(received, StandardCharsets.US_ASCII);
        }
    }

    /**
     * A raw socket for the bad cases, timing the server's close from the connection. A write may fail once the server
     * has closed (a reset): that is not an error here, the outcome says what happened.
     */
    private static final class BadPeer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final long opened;
        private int sent;

        private BadPeer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.opened = System.nanoTime();
        }

        static BadPeer connect(String localIp, int port) throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.bind(new InetSocketAddress(localIp, 0));
            socket.connect(new InetSocketAddress(PROXY, port), (int) CLOSE_WAIT.toMillis());
            return new BadPeer(socket);
        }

        void send(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
                sent += bytes.length;
            } catch (IOException closedByTheServer) {
                // the outcome tells
            }
        }

        Outcome awaitClose(Duration wait) throws IOException {
            return trickle(new byte[0], wait, wait);
        }

        /**
         * Sends {@code bytes} one at a time, {@code interval} apart, reading what comes back in between, until the
         * server closes or {@code wait} has passed since the connection.
         */
        Outcome trickle(byte[] bytes, Duration interval, Duration wait) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long deadline = opened + wait.toNanos();
            int next = 0;
            while (System.nanoTime() < deadline) {
                if (next < bytes.length) {
                    try {
                        out.write(bytes[next]);
                        out.flush();
                        next++;
                        sent++;
                    } catch (IOException closedByTheServer) {
                        return closed(got);
                    }
                }
                long sliceEnd = Math.min(deadline, System.nanoTime() + interval.toNanos());
                while (true) {
                    long left = (sliceEnd - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    try {
                        int b = in.read();
                        if (b < 0) {
                            return closed(got);
                        }
                        got.write(b);
                    } catch (SocketTimeoutException silence) {
                        break;
                    } catch (SocketException reset) {
                        return closed(got);
                    }
                }
            }
            return new Outcome(got.toByteArray(), -1, sent);
        }

        private Outcome closed(ByteArrayOutputStream got) {
            return new Outcome(got.toByteArray(), (System.nanoTime() - opened) / 1_000_000, sent);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
