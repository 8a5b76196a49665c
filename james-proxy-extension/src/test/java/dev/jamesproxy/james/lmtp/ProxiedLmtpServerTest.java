package dev.jamesproxy.james.lmtp;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.james.ProxyMailAttributes;
import dev.jamesproxy.james.ScriptedHook;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Proxied LMTP listeners in a real James memory server, over loopback, 127.0.0.1 being the trusted proxy and
 * 127.0.0.3 an untrusted host (see lmtpserver-proxied.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedLmtpServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String STRANGER = "127.0.0.3";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private JamesHarness james;
    private int lmtp;
    private int mailets;

    @BeforeAll
    void startJames() throws Exception {
        String smtp = "<smtpservers></smtpservers>";
        james = JamesHarness.start(smtp, null, Map.of("lmtpserver.xml", resource("/lmtpserver-proxied.xml")));
        lmtp = JamesHarness.port("proxied-lmtp");
        mailets = JamesHarness.port("proxied-lmtp-mailets");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private static String resource(String name) throws Exception {
        return new String(ProxiedLmtpServerTest.class.getResourceAsStream(name).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] v1(String client) {
        return ProxyHeaders.v1Tcp4(client, 40024, "192.0.2.24", 24);
    }

    /** Delivers one mail through {@code port} as {@code client}; returns the marker in its body. */
    private static String deliver(int port, String client) throws Exception {
        return deliver(port, v1(client));
    }

    /** Delivers one mail through {@code port}, LHLO pipelined behind {@code header}; returns the marker in its body. */
    private static String deliver(int port, byte[] header) throws Exception {
        String marker = UUID.randomUUID().toString();
        try (SmtpClient lmtpClient = SmtpClient.connect(PROXY, port)) {
            lmtpClient.send(concat(header, ascii("LHLO client.example\r\n")));
            assertThat(lmtpClient.readReply()).startsWith("220 ");
            assertThat(lmtpClient.readReply()).startsWith("250");
            assertThat(lmtpClient.command("MAIL FROM:<sender@client.example>")).startsWith("250");
            assertThat(lmtpClient.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(lmtpClient.command("DATA")).startsWith("354");
            assertThat(lmtpClient.command("Subject: lmtp\r\n\r\n" + marker + "\r\n.")).startsWith("250");
            lmtpClient.command("QUIT");
        }
        return marker;
    }

    @Test
    void greetingShouldComeOnlyAfterTheHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, lmtp)) {
            assertThat(client.receiveWithin(Duration.ofMillis(800))).isEmpty();

            client.send(v1("203.0.113.51"));

            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    @Test
    void deliveredMailShouldNameTheClientAndTheProxyHopInReceived() throws Exception {
        String marker = deliver(lmtp, "203.0.113.52");

        String message = james.probe().inboxMessageContaining(JamesHarness.USER, marker, WAIT).orElseThrow();
        assertThat(message).containsPattern("Received: from \\S+ \\(EHLO client\\.example\\) \\(\\[203\\.0\\.113\\.52\\]\\)"
            + " \\(via PROXY v1 from \\[127\\.0\\.0\\.1\\]\\)");
    }

    @Test
    void mailThroughTheMailetContainerShouldCarryTheClientAddressAndAttributes() throws Exception {
        String marker = deliver(mailets, "203.0.113.53");

        Mail mail = james.probe().receivedMail(candidate -> contains(candidate, marker), WAIT).orElseThrow();
        assertThat(mail.getRemoteAddr()).isEqualTo("203.0.113.53");
        assertThat(mail.getAttribute(AttributeName.of(ProxyMailAttributes.CLIENT_ADDRESS)))
            .map(attribute -> (Object) attribute.getValue().value()).contains("203.0.113.53");
        assertThat(mail.getAttribute(AttributeName.of(ProxyMailAttributes.PROXY_ADDRESS)))
            .map(attribute -> (Object) attribute.getValue().value()).contains(PROXY);
        assertThat(mail.getAttribute(AttributeName.of(ScriptedHook.MAIL_ATTRIBUTE)))
            .map(attribute -> (Object) attribute.getValue().value()).contains("lmtp-mailets-hook");
    }

    @Test
    void aLocalHeaderShouldKeepTheProxyAsTheAddress() throws Exception {
        String marker = deliver(mailets, ProxyHeaders.v2Local().build());

        Mail mail = james.probe().receivedMail(candidate -> contains(candidate, marker), WAIT).orElseThrow();
        assertThat(mail.getRemoteAddr()).isEqualTo(PROXY);
        assertThat(mail.getAttribute(AttributeName.of(ProxyMailAttributes.PROXY_ADDRESS)))
            .map(attribute -> (Object) attribute.getValue().value()).contains(PROXY);
    }

    private static boolean contains(Mail mail, String marker) {
        try {
            return mail.getMessage().getContent().toString().contains(marker);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aHookDenialShouldSendOneReplyAndNoGreeting() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, lmtp)) {
            client.send(v1(ScriptedHook.DENY_WITH_REPLY));

            assertThat(new String(client.readUntilClosed(WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("554 5.7.1 scripted denial\r\n");
        }
    }

    @Test
    void anUntrustedPeerShouldBeClosedWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(STRANGER, lmtp)) {
            assertThat(client.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aMalformedHeaderShouldBeClosedWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, lmtp)) {
            client.send(ascii("LHLO client.example\r\n"));

            assertThat(client.readUntilClosed(WAIT)).isEmpty();
        }
    }
}
