package dev.jamesproxy.james.smtp;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.AttachmentsToMailHook;
import dev.jamesproxy.james.ProxyMailAttributes;
import dev.jamesproxy.james.RecordingConnectHandler;
import dev.jamesproxy.james.ScriptedHook;
import dev.jamesproxy.james.testing.EngineTlsClient;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;
import dev.jamesproxy.james.testing.TestProbe;

/**
 * Proxied listeners in a real James memory server, driven over loopback. The TCP peer 127.0.0.1 is the
 * trusted proxy, 127.0.0.2 a direct peer, 127.0.0.3 an untrusted host (see smtpserver-proxied.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedSmtpServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";
    private static final String CLIENT = "203.0.113.7";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final byte[] EHLO = ascii("EHLO client.example\r\n");

    private JamesHarness james;
    private int plain;
    private int tls;
    private int noHook;
    private int strict;
    private int stock;
    private int limited;

    @BeforeAll
    void startJames() throws Exception {
        String xml = new String(getClass().getResourceAsStream("/smtpserver-proxied.xml").readAllBytes(),
            StandardCharsets.UTF_8);
        james = JamesHarness.start(xml);
        plain = JamesHarness.port("proxied-plain");
        tls = JamesHarness.port("proxied-tls");
        noHook = JamesHarness.port("proxied-nohook");
        strict = JamesHarness.port("proxied-strict");
        stock = JamesHarness.port("smtpserver");
        limited = JamesHarness.port("proxied-limited");
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
        return ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.25", 25);
    }

    private static String ehloAfter(SmtpClient client, byte[] header) throws IOException {
        client.send(concat(header, EHLO));
        assertThat(client.readReply()).startsWith("220 ");
        return client.readReply();
    }

    // --- ordering: nothing before the header, header + EHLO in one write ---

    @Test
    void serverShouldSendNothingBeforeTheHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(client.receiveWithin(Duration.ofMillis(1000))).isEmpty();

            client.send(v1(CLIENT));

            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    @Test
    void headerAndEhloInOneWriteShouldBeAnsweredInOrderEveryTime() throws Exception {
        for (int i = 0; i < 30; i++) {
            try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
                assertThat(ehloAfter(client, v1(CLIENT))).startsWith("250-mx.example.test Hello client.example")
                    .contains("[" + CLIENT + "]");
            }
            byte[] v2 = ProxyHeaders.v2(CLIENT, 40000 + i, "192.0.2.25", 25)
                .tlv(0x05, ascii("conn-" + i)).crc32c().build();
            try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
                assertThat(ehloAfter(client, v2)).contains("[" + CLIENT + "]");
            }
        }
    }

    @Test
    void v2HeaderSplitOverSeveralWritesShouldBeReassembled() throws Exception {
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0x05, ascii("split")).build();
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(Arrays.copyOfRange(header, 0, 5));
            Thread.sleep(50);
            client.send(Arrays.copyOfRange(header, 5, 17));
            Thread.sleep(50);
            assertThat(client.receiveWithin(Duration.ofMillis(100))).isEmpty();
            client.send(concat(Arrays.copyOfRange(header, 17, header.length), EHLO));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]");
        }
    }

    // --- header kinds ---

    @Test
    void ehloShouldShowTheClientOfAV1Tcp6Header() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, ProxyHeaders.v1Tcp6("2001:db8::7", 40000, "2001:db8::25", 25)))
                .contains("[2001:db8:0:0:0:0:0:7]");
        }
    }

    @Test
    void ehloShouldShowTheClientOfAV2Tcp4Header() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).build()))
                .contains("[" + CLIENT + "]");
        }
    }

    @Test
    void ehloShouldShowTheClientOfAV2Tcp6Header() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, ProxyHeaders.v2("2001:db8::7", 40000, "2001:db8::25", 25).build()))
                .contains("[2001:db8:0:0:0:0:0:7]");
        }
    }

    @Test
    void v2LocalHeaderShouldKeepTheProxyAddress() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, ProxyHeaders.v2Local().build())).contains("[" + PROXY + "]");
        }
    }

    @Test
    void v1UnknownHeaderShouldKeepTheProxyAddress() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, ProxyHeaders.v1Unknown())).contains("[" + PROXY + "]");
        }
    }

    // --- the client address everywhere: delivery, Received:, attributes, relaying ---

    @Test
    void mailShouldReachTheMailboxWithTheClientInReceivedAndTheProxyFactsAsAttributes() throws Exception {
        String subject = "proxied-" + System.nanoTime();
        byte[] header = ProxyHeaders.v2(CLIENT, 40001, "192.0.2.25", 25).tlv(0x05, ascii("uid-" + subject)).build();
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, header)).contains("[" + CLIENT + "]");
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: " + subject + "\r\n\r\nhello\r\n.")).startsWith("250");
            client.command("QUIT");
        }

        String message = probe().inboxMessageContaining(JamesHarness.USER, subject, Duration.ofSeconds(10)).orElseThrow();
        String received = message.substring(message.indexOf("Received:"), message.indexOf(";", message.indexOf("Received:")));
        assertThat(received).contains("([" + CLIENT + "])").contains("(via PROXY v2 from [127.0.0.1])")
            .doesNotContain("from 127.0.0.1");

        Mail mail = probe().receivedMail(m -> attribute(m, ProxyMailAttributes.UNIQUE_ID).equals("uid-" + subject),
            Duration.ofSeconds(10)).orElseThrow();
        assertThat(mail.getRemoteAddr()).isEqualTo(CLIENT);
        assertThat(attribute(mail, ProxyMailAttributes.CLIENT_ADDRESS)).isEqualTo(CLIENT);
        assertThat(attribute(mail, ProxyMailAttributes.CLIENT_PORT)).isEqualTo(40001);
        assertThat(attribute(mail, ProxyMailAttributes.PROXY_ADDRESS)).isEqualTo(PROXY);
        assertThat(attribute(mail, ProxyMailAttributes.DESTINATION_ADDRESS)).isEqualTo("192.0.2.25");
        assertThat(attribute(mail, ProxyMailAttributes.VERSION)).isEqualTo(2);
        assertThat(attribute(mail, ProxyMailAttributes.COMMAND)).isEqualTo("PROXY");
        assertThat(attribute(mail, ProxyMailAttributes.CRC32C)).isEqualTo("absent");
        assertThat(attribute(mail, ScriptedHook.MAIL_ATTRIBUTE)).isEqualTo("first-hook");
        assertThat(attribute(mail, AttachmentsToMailHook.HEADER_VERSION)).isEqualTo(2);
        assertThat(attribute(mail, AttachmentsToMailHook.HOOK_LABEL)).isEqualTo("first-hook");
    }

    @Test
    void connectHandlersShouldSeeTheClientAndItsRelayingRights() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            ehloAfter(client, v1("203.0.113.88"));
        }
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            ehloAfter(client, v1("127.0.0.88"));
        }

        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            ehloAfter(client, ProxyHeaders.v2Local().build());
        }
        try (SmtpClient client = SmtpClient.connect(DIRECT, plain)) {
            assertThat(client.readReply()).startsWith("220 ");
        }

        assertThat(RecordingConnectHandler.SEEN).contains("203.0.113.88|false|203.0.113.88", "127.0.0.88|true|127.0.0.88",
            "127.0.0.1|false|127.0.0.1", "127.0.0.2|true|127.0.0.2");
    }

    private static Object attribute(Mail mail, String name) {
        return mail.getAttribute(AttributeName.of(name)).<Object>map(a -> a.getValue().value()).orElse("<absent>");
    }

    @Test
    void proxyInAuthorizedAddressesShouldNotMakeItsClientsRelays() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, v1(CLIENT))).contains("AUTH");
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");

            assertThat(client.command("RCPT TO:<someone@elsewhere.example>")).startsWith("530");
        }
    }

    @Test
    void clientInAuthorizedAddressesShouldRelay() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, v1("127.0.0.5"))).doesNotContain("AUTH");
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");

            assertThat(client.command("RCPT TO:<someone@elsewhere.example>")).startsWith("250");
        }
    }

    // --- source policy ---

    @Test
    void untrustedPeerShouldBeClosedWithoutAByte() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.untrusted");
        try (SmtpClient client = SmtpClient.connect(STRANGER, plain)) {
            client.send(concat(v1(CLIENT), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(probe().metric("proxyProtocol.rejected.untrusted")).isGreaterThan(before);
    }

    @Test
    void directPeerShouldBeGreetedWithoutHeaderAndKeepItsAddress() throws Exception {
        long before = probe().metric("proxyProtocol.direct");
        try (SmtpClient client = SmtpClient.connect(DIRECT, plain)) {
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO direct.example")).contains("[" + DIRECT + "]");
        }
        assertThat(probe().metric("proxyProtocol.direct")).isGreaterThan(before);
    }

    @Test
    void stockListenerShouldStillGreetAtOnce() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, stock)) {
            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    // --- failures: timeout, malformed, CRC, size ---

    @Test
    void silentProxyShouldBeClosedAtTheHeaderTimeout() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.timeout");
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            long start = System.nanoTime();
            String peer = "127.0.0.1:" + client.localPort();

            assertThat(client.readUntilClosed(Duration.ofSeconds(8))).isEmpty();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(7));
            assertThat(logs.await(m -> m.contains("(timeout)") && m.contains(peer), Duration.ofSeconds(3)).orElseThrow()
                .getFormattedMessage()).contains("nothing was received");
        }
        assertThat(probe().metric("proxyProtocol.rejected.timeout")).isGreaterThan(before);
    }

    @Test
    void partialHeaderShouldBeClosedAtTheHeaderTimeout() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send("PROXY TCP4 203.0.113.7");

            assertThat(client.readUntilClosed(Duration.ofSeconds(8))).isEmpty();
        }
    }

    @Test
    void proxyClosingBeforeAWholeHeaderShouldBeCountedAsAbandoned() throws Exception {
        long before = probe().metric("proxyProtocol.abandoned");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send("PROXY TCP4 ");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (probe().metric("proxyProtocol.abandoned") == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(probe().metric("proxyProtocol.abandoned")).isEqualTo(before + 1);
    }

    @Test
    void smtpInsteadOfHeaderShouldBeClosedAndDiagnosed() throws Exception {
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send("EHLO forgot-the-proxy.example\r\n");

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
            String line = logs.await(m -> m.contains("forgot-the-proxy"), Duration.ofSeconds(3)).orElseThrow().getFormattedMessage();
            assertThat(line).contains("PROXY rejected (malformed) on SMTP 'proxied-plain' from 127.0.0.1:")
                .contains("\"EHLO forgot-the-proxy.example\\r\\n\"")
                .contains("SMTP command");
        }
    }

    @Test
    void tlsClientHelloInsteadOfHeaderShouldBeDiagnosed() throws Exception {
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03, 0x03});

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
            assertThat(logs.await(m -> m.contains("\\x16\\x03\\x01"), Duration.ofSeconds(3)).orElseThrow().getFormattedMessage())
                .contains("TLS ClientHello");
        }
    }

    @Test
    void httpRequestInsteadOfHeaderShouldBeDiagnosed() throws Exception {
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send("GET /health-" + plain + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
            assertThat(logs.await(m -> m.contains("GET /health-" + plain), Duration.ofSeconds(3)).orElseThrow().getFormattedMessage())
                .contains("HTTP request");
        }
    }

    @Test
    void rejectionLogShouldCapTheEscapedPrefixAt64Bytes() throws Exception {
        String marker = "X" + System.nanoTime();
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(marker + "\u0001".repeat(200) + "\r\n");

            client.readUntilClosed(CLOSE_WAIT);
            String line = logs.await(m -> m.contains(marker), Duration.ofSeconds(3)).orElseThrow().getFormattedMessage();
            String quoted = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
            assertThat(quoted).startsWith(marker).endsWith("...").contains("\\x01")
                .hasSize(marker.length() + (64 - marker.length()) * 4 + 3);
        }
    }

    @Test
    void malformedV1HeaderShouldBeRejectedAndCountedByReason() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.parse.v1-bad-port");
        long malformed = probe().metric("proxyProtocol.rejected.malformed");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.25 080 25\r\n"), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(probe().metric("proxyProtocol.rejected.parse.v1-bad-port")).isEqualTo(before + 1);
        assertThat(probe().metric("proxyProtocol.rejected.malformed")).isEqualTo(malformed + 1);
    }

    @Test
    void badCrc32cShouldBeRejected() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.crc32c");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).badCrc32c().build(), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(probe().metric("proxyProtocol.rejected.crc32c")).isEqualTo(before + 1);
    }

    @Test
    void missingCrc32cShouldBeRejectedWhenRequired() throws Exception {
        byte[] withoutCrc = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0xEA, vpce("vpce-0123456789abcdef0")).build();
        try (SmtpClient client = SmtpClient.connect(PROXY, strict)) {
            client.send(concat(withoutCrc, EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void oversizeHeaderShouldBeRejected() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.oversize");
        byte[] big = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0x04, new byte[600]).crc32c().build();
        try (SmtpClient client = SmtpClient.connect(PROXY, strict)) {
            client.send(big);

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(probe().metric("proxyProtocol.rejected.oversize")).isEqualTo(before + 1);
    }

    // --- hooks ---

    @Test
    void tlvHookShouldAcceptTheListedVpcEndpointOnly() throws Exception {
        byte[] listed = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0xEA, vpce("vpce-0123456789abcdef0")).crc32c().build();
        byte[] other = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0xEA, vpce("vpce-ffffffffffffffff0")).crc32c().build();
        try (SmtpClient client = SmtpClient.connect(PROXY, strict)) {
            assertThat(ehloAfter(client, listed)).contains("[" + CLIENT + "]");
        }
        try (SmtpClient client = SmtpClient.connect(PROXY, strict)) {
            client.send(concat(other, EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    private static byte[] vpce(String id) {
        return concat(new byte[] {0x01}, ascii(id));
    }

    @Test
    void receivedCommentShouldBeLeftOutWhenDisabled() throws Exception {
        String subject = "strict-" + System.nanoTime();
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).tlv(0xEA, vpce("vpce-0123456789abcdef0")).crc32c().build();
        try (SmtpClient client = SmtpClient.connect(PROXY, strict)) {
            ehloAfter(client, header);
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<" + JamesHarness.USER + ">");
            client.command("DATA");
            assertThat(client.command("Subject: " + subject + "\r\n\r\nhello\r\n.")).startsWith("250");
        }
        String message = probe().inboxMessageContaining(JamesHarness.USER, subject, Duration.ofSeconds(10)).orElseThrow();
        assertThat(message).contains("([" + CLIENT + "])").doesNotContain("via PROXY");
    }

    @Test
    void hookDenialWithAReplyShouldSendItThenClose() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.DENY_WITH_REPLY), EHLO));

            assertThat(new String(client.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("554 5.7.1 scripted denial\r\n");
        }
    }

    @Test
    void hookDenySoftWithoutReplyShouldCloseSilently() throws Exception {
        long before = probe().metric("proxyProtocol.rejected.hook");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.DENYSOFT_SILENT), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(probe().metric("proxyProtocol.rejected.hook")).isEqualTo(before + 1);
    }

    @Test
    void throwingHookShouldRejectAndBeLoggedWithItsStackTrace() throws Exception {
        try (LogCapture logs = LogCapture.open(); SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.THROWS), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
            ILoggingEvent event = logs.await(m -> m.contains("PROXY hook dev.jamesproxy.james.ScriptedHook failed"),
                Duration.ofSeconds(3)).orElseThrow();
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("scripted failure");
        }
    }

    @Test
    void hookReturningNullShouldReject() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.RETURNS_NULL), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void clientNetworksShouldDenyItsListWithItsReply() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1("198.51.100.9"), EHLO));

            assertThat(new String(client.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("554 5.7.1 Not accepted from your network\r\n");
        }
    }

    @Test
    void listenerWithoutHookShouldRejectEveryHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, noHook)) {
            client.send(concat(v1(CLIENT), EHLO));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    // --- TLS ---

    @Test
    void implicitTlsShouldWorkWhenTheHeaderAndTheClientHelloShareOneWrite() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (EngineTlsClient client = EngineTlsClient.connect(PROXY, tls, v1(CLIENT))) {
                assertThat(client.readReply()).startsWith("220 ");
                assertThat(client.command("EHLO client.example")).contains("[" + CLIENT + "]");
            }
        }
    }

    @Test
    void hookDenialOnImplicitTlsShouldCloseWithoutAByte() throws Exception {
        // A reply would be plaintext where the client expects a TLS handshake: nothing is sent.
        try (SmtpClient client = SmtpClient.connect(PROXY, tls)) {
            client.send(v1(ScriptedHook.DENY_WITH_REPLY));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void implicitTlsShouldWorkWithAV2HeaderBeforeTheHandshake() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, tls)) {
            client.send(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 465).build());
            client.startTls();

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).contains("[" + CLIENT + "]");
        }
    }

    @Test
    void startTlsAfterTheHeaderShouldKeepTheClientAddress() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(ehloAfter(client, v1(CLIENT))).contains("STARTTLS");
            assertThat(client.command("STARTTLS")).startsWith("220");
            client.startTls();

            assertThat(client.command("EHLO client.example")).contains("[" + CLIENT + "]");
        }
    }

    // --- operations ---

    @Test
    void acceptedConnectionsShouldBeCountedAndTimed() throws Exception {
        long accepted = probe().metric("proxyProtocol.accepted");
        long local = probe().metric("proxyProtocol.accepted.withoutClientAddress");
        long timed = probe().timerCount("proxyProtocol.headerLatency");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            ehloAfter(client, v1(CLIENT));
        }
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            ehloAfter(client, ProxyHeaders.v2Local().build());
        }
        assertThat(probe().metric("proxyProtocol.accepted")).isEqualTo(accepted + 2);
        assertThat(probe().metric("proxyProtocol.accepted.withoutClientAddress")).isEqualTo(local + 1);
        assertThat(probe().timerCount("proxyProtocol.headerLatency")).isGreaterThanOrEqualTo(timed + 2);
    }

    @Test
    void perClientLimitShouldCountTheHeaderSourceNotTheProxy() throws Exception {
        String busyClient = "203.0.113.50";
        long rejected = probe().metric("proxyProtocol.rejected.clientLimit");
        try (SmtpClient first = SmtpClient.connect(PROXY, limited); SmtpClient second = SmtpClient.connect(PROXY, limited)) {
            assertThat(ehloAfter(first, v1(busyClient))).startsWith("250");
            assertThat(ehloAfter(second, v1(busyClient))).startsWith("250");
            try (SmtpClient other = SmtpClient.connect(PROXY, limited)) {
                assertThat(ehloAfter(other, v1("203.0.113.51"))).startsWith("250");
            }
            try (SmtpClient third = SmtpClient.connect(PROXY, limited)) {
                third.send(concat(v1(busyClient), EHLO));

                assertThat(new String(third.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                    .startsWith("421 4.7.0 ");
            }
            first.command("QUIT");
        }
        assertThat(probe().metric("proxyProtocol.rejected.clientLimit")).isEqualTo(rejected + 1);
        assertThat(eventuallyGreeted(busyClient)).isTrue();
    }


    private boolean eventuallyGreeted(String client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (SmtpClient again = SmtpClient.connect(PROXY, limited)) {
                again.send(v1(client));
                byte[] reply = again.receiveWithin(Duration.ofMillis(500));
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("220 ")) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void logLinesOfAProxiedSessionShouldCarryClientAndProxyInTheMdc() throws Exception {
        String client = "203.0.113.77";
        try (LogCapture logs = LogCapture.open()) {
            try (SmtpClient smtp = SmtpClient.connect(PROXY, plain)) {
                ehloAfter(smtp, ProxyHeaders.v1Tcp4(client, 41234, "192.0.2.25", 25));
                smtp.command("QUIT");
            }
            ILoggingEvent connected = logs.await(m -> m.equals("Connection established from " + client),
                Duration.ofSeconds(3)).orElseThrow();
            assertThat(LogCapture.mdc(connected)).containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", client + ":41234")
                .containsEntry("proxy.destination", "192.0.2.25:25");
            // Other tests' connections from the same proxy may close meanwhile: pick this client's line.
            ILoggingEvent closed = logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection closed for")
                && e.getFormattedMessage().contains(PROXY)
                && (client + ":41234").equals(LogCapture.mdc(e).get("proxy.source")), Duration.ofSeconds(3)).orElseThrow();
            Map<String, String> mdc = LogCapture.mdc(closed);
            assertThat(mdc).containsEntry("ip", client).containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", client + ":41234");
        }
    }
}
