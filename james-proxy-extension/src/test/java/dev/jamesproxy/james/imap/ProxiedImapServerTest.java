package dev.jamesproxy.james.imap;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.ScriptedHook;
import dev.jamesproxy.james.testing.EngineTlsClient;
import dev.jamesproxy.james.testing.ImapClient;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.TestProbe;
import dev.jamesproxy.protocol.Hex;

/**
 * {@code <proxiedimapserver>} listeners in a real James memory server, driven over loopback by raw sockets, curl and
 * Python's imaplib. The TCP peer 127.0.0.1 is the trusted proxy, 127.0.0.2 a direct peer, 127.0.0.3 an untrusted
 * host (see imapserver-proxied.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedImapServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";
    private static final String CLIENT = "203.0.113.7";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final String LOGIN = "LOGIN " + JamesHarness.USER + " secret";
    private static final byte[] CAPABILITY = ascii("a1 CAPABILITY\r\n");

    private JamesHarness james;
    private int plain;
    private int imaps;
    private int noHook;
    private int strict;
    private int limited;
    private int stock;

    @BeforeAll
    void startJames() throws Exception {
        try (InputStream xml = getClass().getResourceAsStream("/imapserver-proxied.xml")) {
            james = JamesHarness.startWith(Map.of("imapserver.xml", new String(xml.readAllBytes(), StandardCharsets.UTF_8)));
        }
        plain = JamesHarness.port("proxied-imap");
        imaps = JamesHarness.port("proxied-imaps");
        noHook = JamesHarness.port("proxied-imap-nohook");
        strict = JamesHarness.port("proxied-imap-strict");
        limited = JamesHarness.port("proxied-imap-limited");
        stock = JamesHarness.port("imapserver");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private TestProbe probe() {
        return james.probe();
    }

    private static byte[] v1(String client) {
        return ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.143", 143);
    }

    private static long imapMetric(TestProbe probe, String name) {
        return probe.metric(name.replace("proxyProtocol.", "proxyProtocol.imap."));
    }

    // --- ordering: nothing before the header; pipelined commands kept ---

    @Test
    void serverShouldSendNothingBeforeTheHeader() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            assertThat(client.raw().receiveWithin(Duration.ofMillis(1000))).isEmpty();

            client.send(v1(CLIENT));

            assertThat(client.readLine()).startsWith("* OK JAMES IMAP4rev1 Server imap.example.test is ready");
        }
    }

    @Test
    void headerAndPipelinedCommandsInOneWriteShouldAllBeAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] header = i % 2 == 0 ? v1(CLIENT)
                : ProxyHeaders.v2(CLIENT, 40000 + i, "192.0.2.143", 143).tlv(0x05, ascii("conn-" + i)).crc32c().build();
            try (ImapClient client = ImapClient.connect(PROXY, plain)) {
                // Commands valid in any state, answers in any order: James 3.8.1 checks a command's state when it
                // reads it and runs commands concurrently, so even its stock listener refuses a SELECT pipelined
                // behind the LOGIN, and may answer the NOOP before the LOGIN.
                client.send(concat(header, ascii("a1 CAPABILITY\r\na2 " + LOGIN + "\r\na3 NOOP\r\n")));

                assertThat(client.readLine()).startsWith("* OK ");
                assertThat(client.readUntilTagged("a1", "a2", "a3")).contains("\na1 OK CAPABILITY completed.")
                    .containsPattern("a2 OK .*LOGIN completed\\.").contains("a3 OK NOOP completed.");
                client.send(ascii("a4 SELECT INBOX\r\n"));
                assertThat(client.readUntilTagged("a4")).contains("a4 OK [READ-WRITE] SELECT completed.");
            }
        }
    }

    @Test
    void v2HeaderSplitOverSeveralWritesShouldBeReassembled() throws Exception {
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 143).tlv(0x05, ascii("split")).build();
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(Arrays.copyOfRange(header, 0, 5));
            Thread.sleep(50);
            client.send(Arrays.copyOfRange(header, 5, 17));
            Thread.sleep(50);
            assertThat(client.raw().receiveWithin(Duration.ofMillis(100))).isEmpty();
            client.send(concat(Arrays.copyOfRange(header, 17, header.length), CAPABILITY));

            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.readUntilTagged("a1")).contains("* CAPABILITY ").contains("IMAP4REV1").endsWith("a1 OK CAPABILITY completed.");
        }
    }

    // --- the client address in James's IMAP MDC and log lines ---

    @Test
    void connectionEstablishedAndEveryLaterLineShouldCarryTheClientInTheMdc() throws Exception {
        String client = "203.0.113.77";
        try (LogCapture logs = LogCapture.open()) {
            try (ImapClient imap = ImapClient.connect(PROXY, plain)) {
                imap.send(ProxyHeaders.v2(client, 41234, "192.0.2.143", 143).build());
                assertThat(imap.readLine()).startsWith("* OK ");
                assertThat(imap.command(LOGIN)).contains("LOGIN completed");
                imap.command("LOGOUT");
            }
            ILoggingEvent established = logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection established from")
                && ("/" + client + ":41234").equals(LogCapture.mdc(e).get("ip")), Duration.ofSeconds(3)).orElseThrow(
                    () -> new AssertionError("no 'Connection established' line with the client as MDC ip"));
            Map<String, String> mdc = LogCapture.mdc(established);
            assertThat(mdc).containsEntry("protocol", "IMAP")
                .containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", "/" + client + ":41234")
                .containsEntry("proxy.destination", "/192.0.2.143:143")
                .containsKey("sessionId");
            // The same session's closing line: same session id, still the client.
            ILoggingEvent closed = logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection closed for")
                && mdc.get("sessionId").equals(LogCapture.mdc(e).get("sessionId")), Duration.ofSeconds(3)).orElseThrow();
            assertThat(LogCapture.mdc(closed)).containsEntry("ip", "/" + client + ":41234").containsEntry("user", JamesHarness.USER);
        }
    }

    @Test
    void localHeaderShouldKeepTheProxyAsTheAddress() throws Exception {
        assertThat(mdcOfAConnectionWith(ProxyHeaders.v2Local().build())).containsEntry("ip", PROXY)
            .doesNotContainKey("proxy.source");
    }

    @Test
    void v1UnknownHeaderShouldKeepTheProxyAsTheAddress() throws Exception {
        assertThat(mdcOfAConnectionWith(ProxyHeaders.v1Unknown())).containsEntry("ip", PROXY)
            .doesNotContainKey("proxy.source");
    }

    /** The MDC of James's "Connection established" line for one connection that sends {@code header}. */
    private Map<String, String> mdcOfAConnectionWith(byte[] header) throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            try (ImapClient imap = ImapClient.connect(PROXY, plain)) {
                imap.send(concat(header, CAPABILITY));
                assertThat(imap.readLine()).startsWith("* OK ");
                assertThat(imap.readUntilTagged("a1")).endsWith("a1 OK CAPABILITY completed.");
                ILoggingEvent established = logs.await(m -> m.startsWith("Connection established from"),
                    Duration.ofSeconds(3)).orElseThrow();
                return LogCapture.mdc(established);
            }
        }
    }

    // --- source policy ---

    @Test
    void untrustedPeerShouldBeClosedWithoutAByte() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.untrusted");
        try (ImapClient client = ImapClient.connect(STRANGER, plain)) {
            client.send(concat(v1(CLIENT), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.untrusted")).isEqualTo(before + 1);
    }

    @Test
    void directPeerShouldBeGreetedWithoutHeader() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.direct");
        try (ImapClient client = ImapClient.connect(DIRECT, plain)) {
            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.command(LOGIN)).contains("LOGIN completed");
        }
        assertThat(imapMetric(probe(), "proxyProtocol.direct")).isEqualTo(before + 1);
    }

    @Test
    void stockListenerShouldStillGreetAtOnce() throws Exception {
        try (ImapClient client = ImapClient.connect(STRANGER, stock)) {
            assertThat(client.readLine()).startsWith("* OK ");
        }
    }

    // --- bad input: timeout, slow, malformed, oversize ---

    @Test
    void silentProxyShouldBeClosedAtTheHeaderTimeoutWithoutAByte() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.timeout");
        try (LogCapture logs = LogCapture.open(); ImapClient client = ImapClient.connect(PROXY, plain)) {
            long start = System.nanoTime();
            String peer = "127.0.0.1:" + client.raw().localPort();

            assertThat(client.raw().readUntilClosed(Duration.ofSeconds(8))).isEmpty();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(7));
            assertThat(logs.await(m -> m.contains("(timeout)") && m.contains(peer), Duration.ofSeconds(3)).orElseThrow()
                .getFormattedMessage()).contains("on IMAP 'proxied-imap'");
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.timeout")).isEqualTo(before + 1);
    }

    @Test
    void slowHeaderShouldBeClosedAtTheTimeoutWithoutAByte() throws Exception {
        byte[] header = v1(CLIENT);
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            long start = System.nanoTime();
            // One byte every 150 ms: the 2 s timeout runs from the connection, not from the last byte.
            for (int i = 0; i < header.length - 2 && System.nanoTime() - start < 2500_000_000L; i++) {
                try {
                    client.send(new byte[] {header[i]});
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(150);
            }

            assertThat(client.raw().readUntilClosed(Duration.ofSeconds(6))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void imapCommandInsteadOfHeaderShouldBeClosedWithoutAByte() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.malformed");
        try (LogCapture logs = LogCapture.open(); ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send("a1 LOGIN forgot-the-proxy secret\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
            assertThat(logs.await(m -> m.contains("forgot-the-proxy"), Duration.ofSeconds(3)).orElseThrow().getFormattedMessage())
                .contains("PROXY rejected (malformed) on IMAP 'proxied-imap' from 127.0.0.1:");
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.malformed")).isEqualTo(before + 1);
    }

    @Test
    void malformedV1HeaderShouldBeClosedWithoutAByte() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.parse.v1-bad-port");
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.143 080 143\r\n"), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.parse.v1-bad-port")).isEqualTo(before + 1);
    }

    @Test
    void oversizeHeaderShouldBeClosedWithoutAByte() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.oversize");
        byte[] big = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 143).tlv(0x04, new byte[600]).crc32c().build();
        try (ImapClient client = ImapClient.connect(PROXY, strict)) {
            client.send(concat(big, CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.oversize")).isEqualTo(before + 1);
    }

    @Test
    void missingCrc32cShouldBeClosedWithoutAByteWhenRequired() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, strict)) {
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 143).build(), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    // --- hooks ---

    @Test
    void hookDenialWithAReplyShouldSendOneByeLineThenClose() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.DENY_WITH_REPLY), CAPABILITY));

            assertThat(new String(client.raw().readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("* BYE scripted denial\r\n");
        }
    }

    @Test
    void clientNetworksShouldDenyItsListWithAByeLine() throws Exception {
        long before = imapMetric(probe(), "proxyProtocol.rejected.hook");
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1("198.51.100.9"), CAPABILITY));

            assertThat(new String(client.raw().readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("* BYE Not accepted from your network\r\n");
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.hook")).isEqualTo(before + 1);
    }

    @Test
    void hookDenySoftWithoutReplyShouldCloseWithoutAByte() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.DENYSOFT_SILENT), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void throwingHookShouldCloseWithoutAByteAndBeLogged() throws Exception {
        try (LogCapture logs = LogCapture.open(); ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.THROWS), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
            ILoggingEvent event = logs.await(m -> m.contains("PROXY hook dev.jamesproxy.james.ScriptedHook failed"),
                Duration.ofSeconds(3)).orElseThrow();
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("scripted failure");
        }
    }

    @Test
    void listenerWithoutHookShouldCloseEveryConnectionWithoutAByte() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, noHook)) {
            client.send(concat(v1(CLIENT), CAPABILITY));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void perClientLimitShouldCountTheHeaderSourceAndRefuseWithAByeLine() throws Exception {
        String busyClient = "203.0.113.50";
        long rejected = imapMetric(probe(), "proxyProtocol.rejected.clientLimit");
        try (ImapClient first = ImapClient.connect(PROXY, limited); ImapClient second = ImapClient.connect(PROXY, limited)) {
            first.send(v1(busyClient));
            assertThat(first.readLine()).startsWith("* OK ");
            second.send(v1(busyClient));
            assertThat(second.readLine()).startsWith("* OK ");
            try (ImapClient other = ImapClient.connect(PROXY, limited)) {
                other.send(v1("203.0.113.51"));
                assertThat(other.readLine()).startsWith("* OK ");
            }
            try (ImapClient third = ImapClient.connect(PROXY, limited)) {
                third.send(concat(v1(busyClient), CAPABILITY));

                assertThat(new String(third.raw().readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                    .isEqualTo("* BYE Too many connections from your address, try again later\r\n");
            }
        }
        assertThat(imapMetric(probe(), "proxyProtocol.rejected.clientLimit")).isEqualTo(rejected + 1);
    }

    // --- TLS ---

    @Test
    void implicitTlsShouldWorkWhenTheHeaderAndTheClientHelloShareOneWrite() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (EngineTlsClient client = EngineTlsClient.connect(PROXY, imaps, v1(CLIENT))) {
                assertThat(client.readLine()).startsWith("* OK ");
                client.send("a1 " + LOGIN);
                assertThat(client.readLine()).startsWith("a1 OK ").endsWith("LOGIN completed.");
            }
        }
    }

    @Test
    void implicitTlsShouldWorkWithAV2HeaderBeforeTheHandshake() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, imaps)) {
            client.send(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 993).crc32c().build());
            client.startTls();

            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.command(LOGIN)).endsWith("LOGIN completed.");
            assertThat(client.command("SELECT INBOX")).contains("OK [READ-WRITE] SELECT completed.");
        }
    }

    @Test
    void hookDenialOnImplicitTlsShouldCloseWithoutAByte() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, imaps)) {
            client.send(v1("198.51.100.9"));

            assertThat(client.raw().readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void startTlsAfterTheHeaderShouldWork() throws Exception {
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1(CLIENT), CAPABILITY));
            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.readUntilTagged("a1")).contains("STARTTLS");
            assertThat(client.command("STARTTLS")).contains("OK STARTTLS");
            client.startTls();

            assertThat(client.command(LOGIN)).endsWith("LOGIN completed.");
            assertThat(client.command("SELECT INBOX")).contains("OK [READ-WRITE] SELECT completed.");
        }
    }

    // --- metrics ---

    @Test
    void acceptedConnectionsShouldBeCountedPerProtocolAndJamesImapMetricsKeepCounting() throws Exception {
        long accepted = imapMetric(probe(), "proxyProtocol.accepted");
        long local = imapMetric(probe(), "proxyProtocol.accepted.withoutClientAddress");
        long smtpAccepted = probe().metric("proxyProtocol.smtp.accepted");
        long commands = probe().metric("imapCommands");
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(v1(CLIENT), CAPABILITY));
            client.readUntilTagged("a1");
        }
        try (ImapClient client = ImapClient.connect(PROXY, plain)) {
            client.send(concat(ProxyHeaders.v2Local().build(), CAPABILITY));
            client.readUntilTagged("a1");
        }
        assertThat(imapMetric(probe(), "proxyProtocol.accepted")).isEqualTo(accepted + 2);
        assertThat(imapMetric(probe(), "proxyProtocol.accepted.withoutClientAddress")).isEqualTo(local + 1);
        assertThat(probe().metric("proxyProtocol.smtp.accepted")).isEqualTo(smtpAccepted);
        assertThat(probe().metric("imapCommands")).isGreaterThanOrEqualTo(commands + 2);
    }

    // --- real clients ---

    @Test
    void curlWithItsV1HeaderShouldLogInAndSelectTheInbox() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--haproxy-protocol",
            "-u", JamesHarness.USER + ":secret", "-X", "EXAMINE INBOX", "imap://127.0.0.1:" + plain + "/")
            .redirectErrorStream(true).start();
        String output = finish(curl, "curl");

        assertThat(output).contains("FLAGS").contains("EXISTS");
    }

    @Test
    void pythonImaplibBehindAV2HeaderShouldLogInAndSelectTheInbox() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            String output = imaplib(plain, ProxyHeaders.v2("203.0.113.91", 40091, "192.0.2.143", 143).build(), "plain");

            assertThat(output).contains("login OK").contains("select OK").contains("logout BYE");
            assertThat(logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection established from")
                && "/203.0.113.91:40091".equals(LogCapture.mdc(e).get("ip")), Duration.ofSeconds(3))).isPresent();
        }
    }

    @Test
    void pythonImaplibOverImplicitTlsBehindAV1HeaderShouldLogInAndSelectTheInbox() throws Exception {
        String output = imaplib(imaps, v1(CLIENT), "tls");

        assertThat(output).contains("login OK").contains("select OK");
    }

    private static String imaplib(int port, byte[] header, String mode) throws Exception {
        Path script = Files.createTempFile("imaplib_behind_proxy", ".py");
        try (InputStream in = ProxiedImapServerTest.class.getResourceAsStream("/clients/imaplib_behind_proxy.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process python = new ProcessBuilder(List.of("python3", script.toString(), String.valueOf(port),
                Hex.encode(header), mode, JamesHarness.USER, "secret")).redirectErrorStream(true).start();
            return finish(python, "imaplib");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String finish(Process process, String name) throws Exception {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", name, output).isZero();
        return output;
    }
}
