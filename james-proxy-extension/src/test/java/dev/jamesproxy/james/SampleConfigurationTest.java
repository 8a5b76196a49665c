package dev.jamesproxy.james;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.james.testing.EngineTlsClient;
import dev.jamesproxy.james.testing.ImapClient;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * The shipped conf/ must start a real James and serve what conf/haproxy.cfg and conf/haproxy-imap.cfg send. Only the
 * addresses change: listeners bind free loopback ports, and HAProxy's 172.30.0.10 becomes 127.0.0.4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleConfigurationTest {
    private static final Path CONF = Paths.get("..", "conf");
    private static final String HAPROXY = "127.0.0.4";
    private static final String CLIENT = "203.0.113.7";
    private static final byte[] EHLO = ascii("EHLO client.example\r\n");

    private JamesHarness james;

    @BeforeAll
    void startJamesWithTheSampleConfiguration() throws Exception {
        james = JamesHarness.start(sample("smtpserver.xml"), null, Map.of("imapserver.xml", sample("imapserver.xml"),
            "managesieveserver.xml", sample("managesieveserver.xml"), "pop3server.xml", sample("pop3server.xml"),
            "lmtpserver.xml", sample("lmtpserver.xml")));
    }

    /** A conf/ file with loopback addresses. */
    private static String sample(String file) throws Exception {
        return Files.readString(CONF.resolve(file), StandardCharsets.UTF_8)
            .replaceAll("<bind>0\\.0\\.0\\.0:[0-9]+</bind>", "<bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>")
            .replace("<trustedProxies>172.30.0.10</trustedProxies>", "<trustedProxies>" + HAPROXY + "</trustedProxies>");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void extensionsPropertiesShouldNameTheStartable() throws Exception {
        assertThat(Files.readAllLines(CONF.resolve("extensions.properties"), StandardCharsets.UTF_8))
            .contains("guice.extension.startable=" + ProxiedServers.class.getName());
    }

    @Test
    void demoKeystoreShouldOpenWithTheConfiguredSecret() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(CONF.resolve("tls").resolve("keystore"))) {
            keystore.load(in, "james72laBalle".toCharArray());
        }

        assertThat(keystore.isKeyEntry("james")).isTrue();
    }

    @Test
    void smtpListenerShouldTakeHaproxysV2HeaderAndItsHealthChecks() throws Exception {
        int port = JamesHarness.port("proxiedsmtpserver-smtp");
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25)
            .tlv(0x02, ascii("mx.example.test")).tlv(0x05, ascii("7F000001:9C40_C000021A:0019")).crc32c().build();
        try (SmtpClient client = SmtpClient.connect(HAPROXY, port)) {
            client.send(concat(header, EHLO));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]").contains("STARTTLS");
        }
        try (SmtpClient check = SmtpClient.connect(HAPROXY, port)) {
            check.send(concat(ProxyHeaders.v2Local().build(), ascii("EHLO haproxy.healthcheck\r\n")));

            assertThat(check.readReply()).startsWith("220 ");
            assertThat(check.readReply()).startsWith("250");
        }
    }

    @Test
    void smtpsListenerShouldHandshakeAfterTheHeader() throws Exception {
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 465).crc32c().build();
        try (EngineTlsClient client = EngineTlsClient.connect(HAPROXY, JamesHarness.port("proxiedsmtpserver-smtps"), header)) {
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).contains("[" + CLIENT + "]");
        }
    }

    @Test
    void submissionListenerShouldTakeAV1Header() throws Exception {
        try (SmtpClient client = SmtpClient.connect(HAPROXY, JamesHarness.port("proxiedsmtpserver-submission"))) {
            client.send(concat(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.25", 587), EHLO));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]").contains("STARTTLS");
        }
    }

    @Test
    void terminatedListenerShouldTurnTheSslTlvIntoMailAttributes() throws Exception {
        String subject = "terminated-" + System.nanoTime();
        byte[] ssl = concat(new byte[] {0x07, 0, 0, 0, 0},
            new byte[] {0x21, 0x00, 0x07}, ascii("TLSv1.3"),
            new byte[] {0x23, 0x00, 0x16}, ascii("TLS_AES_256_GCM_SHA384"),
            new byte[] {0x22, 0x00, 0x05}, ascii("alice"));
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 10465).tlv(0x20, ssl).tlv(0x05, ascii(subject)).crc32c().build();
        try (SmtpClient client = SmtpClient.connect(HAPROXY, JamesHarness.port("proxiedsmtpserver-terminated"))) {
            client.send(concat(header, EHLO));
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]");
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: " + subject + "\r\n\r\nhi\r\n.")).startsWith("250");
        }

        Mail mail = james.probe().receivedMail(m -> subject.equals(attribute(m, ProxyMailAttributes.UNIQUE_ID)),
            Duration.ofSeconds(10)).orElseThrow();
        assertThat(attribute(mail, ProxyMailAttributes.TLS)).isEqualTo(true);
        assertThat(attribute(mail, ProxyMailAttributes.TLS_VERSION)).isEqualTo("TLSv1.3");
        assertThat(attribute(mail, ProxyMailAttributes.TLS_CIPHER)).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(attribute(mail, ProxyMailAttributes.TLS_COMMON_NAME)).isEqualTo("alice");
        assertThat(attribute(mail, ProxyMailAttributes.TLS_CLIENT_CERTIFICATE)).isEqualTo(true);
        assertThat(attribute(mail, ProxyMailAttributes.TLS_CLIENT_CERTIFICATE_VERIFIED)).isEqualTo(true);
        assertThat(attribute(mail, ProxyMailAttributes.PROXY_ADDRESS)).isEqualTo(HAPROXY);
        assertThat(attribute(mail, ProxyMailAttributes.CRC32C)).isEqualTo("valid");
    }

    private static Object attribute(Mail mail, String name) {
        return mail.getAttribute(AttributeName.of(name)).<Object>map(a -> a.getValue().value()).orElse(null);
    }

    @Test
    void containerLocalToolsShouldBeServedWithoutHeader() throws Exception {
        for (String listener : new String[] {"proxiedsmtpserver-smtp", "proxiedsmtpserver-submission", "proxiedsmtpserver-terminated"}) {
            try (SmtpClient client = SmtpClient.connect("127.0.0.1", JamesHarness.port(listener))) {
                assertThat(client.readReply()).startsWith("220 ");
            }
        }
        try (SmtpClient client = SmtpClient.connect("127.0.0.1", JamesHarness.port("proxiedsmtpserver-smtps"))) {
            client.startTls();

            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    @Test
    void otherPeersShouldBeClosedSilently() throws Exception {
        for (String listener : new String[] {"proxiedsmtpserver-smtp", "proxiedsmtpserver-smtps", "proxiedsmtpserver-submission",
            "proxiedsmtpserver-terminated"}) {
            try (SmtpClient client = SmtpClient.connect("127.0.0.3", JamesHarness.port(listener))) {
                client.send(concat(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.25", 25), EHLO));

                assertThat(client.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
            }
        }
    }

    @Test
    void stockListenerShouldStillGreetAtOnce() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.3", JamesHarness.port("smtpserver-plain"))) {
            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    // --- conf/pop3server.xml and conf/lmtpserver.xml ---

    @Test
    void pop3ListenerShouldTakeHaproxysV2HeaderAndItsHealthCheckAndOfferStls() throws Exception {
        int port = JamesHarness.port("proxiedpop3server-pop3");
        try (SmtpClient client = SmtpClient.connect(HAPROXY, port)) {
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.110", 110).crc32c().build(), ascii("STLS\r\n")));

            assertThat(client.readLine(Duration.ofSeconds(5))).startsWith("+OK");
            assertThat(client.readLine(Duration.ofSeconds(5))).startsWith("+OK");
            client.startTls();
            assertThat(client.command("USER " + JamesHarness.USER)).startsWith("+OK");
        }
        try (SmtpClient check = SmtpClient.connect(HAPROXY, port)) {
            check.send(ProxyHeaders.v2Local().build());

            assertThat(check.readLine(Duration.ofSeconds(5))).startsWith("+OK");
        }
    }

    @Test
    void pop3sListenerShouldHandshakeAfterTheHeader() throws Exception {
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.110", 995).crc32c().build();
        try (EngineTlsClient client = EngineTlsClient.connect(HAPROXY, JamesHarness.port("proxiedpop3server-pop3s"), header)) {
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.command("USER " + JamesHarness.USER)).startsWith("+OK");
            assertThat(client.command("PASS secret")).startsWith("+OK");
        }
    }

    @Test
    void curlWithItsV1HeaderShouldListTheMailboxOverPop3() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--haproxy-protocol", "--interface", HAPROXY,
            "-u", JamesHarness.USER + ":secret", "pop3://127.0.0.1:" + JamesHarness.port("proxiedpop3server-pop3") + "/")
            .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(curl.exitValue()).as(output).isZero();
    }

    @Test
    void lmtpListenerShouldDeliverWithTheClientInReceived() throws Exception {
        String subject = "lmtp-sample-" + System.nanoTime();
        try (SmtpClient client = SmtpClient.connect(HAPROXY, JamesHarness.port("proxiedlmtpserver"))) {
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.24", 24).build(), ascii("LHLO mta.example\r\n")));
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).startsWith("250");
            assertThat(client.command("MAIL FROM:<sender@client.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: " + subject + "\r\n\r\nhello\r\n.")).startsWith("250");
        }
        String message = james.probe().inboxMessageContaining(JamesHarness.USER, subject, Duration.ofSeconds(10)).orElseThrow();
        assertThat(message).contains("([" + CLIENT + "]) (via PROXY v2 from [" + HAPROXY + "])");
    }

    // --- conf/imapserver.xml and conf/managesieveserver.xml ---

    @Test
    void imapListenerShouldTakeHaproxysV2HeaderAndItsHealthChecksAndRequireStartTlsForLogin() throws Exception {
        int port = JamesHarness.port("proxiedimapserver-imap");
        try (ImapClient client = ImapClient.connect(HAPROXY, port)) {
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 143).crc32c().build(), ascii("a1 CAPABILITY\r\n")));

            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.readUntilTagged("a1")).contains("STARTTLS").contains("LOGINDISABLED");
            assertThat(client.command("STARTTLS")).contains("OK");
            client.startTls();
            assertThat(client.command("LOGIN " + JamesHarness.USER + " secret")).contains("LOGIN completed");
        }
        try (ImapClient check = ImapClient.connect(HAPROXY, port)) {
            check.send(ProxyHeaders.v2Local().build());

            assertThat(check.readLine()).startsWith("* OK ");
        }
    }

    @Test
    void imapsListenerShouldHandshakeAfterTheHeader() throws Exception {
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 993).crc32c().build();
        try (EngineTlsClient client = EngineTlsClient.connect(HAPROXY, JamesHarness.port("proxiedimapserver-imaps"), header)) {
            assertThat(client.readLine()).startsWith("* OK ");
            client.send("a1 LOGIN " + JamesHarness.USER + " secret");
            assertThat(client.readLine()).startsWith("a1 OK").endsWith("LOGIN completed.");
        }
    }

    @Test
    void terminatedImapListenerShouldAllowLoginInClearTextAfterAnSslTlv() throws Exception {
        byte[] ssl = concat(new byte[] {0x01, 0, 0, 0, 0}, new byte[] {0x21, 0x00, 0x07}, ascii("TLSv1.3"));
        byte[] header = ProxyHeaders.v2(CLIENT, 40000, "192.0.2.143", 10993).tlv(0x20, ssl).crc32c().build();
        try (ImapClient client = ImapClient.connect(HAPROXY, JamesHarness.port("proxiedimapserver-terminated"))) {
            client.send(header);

            assertThat(client.readLine()).startsWith("* OK ");
            assertThat(client.command("LOGIN " + JamesHarness.USER + " secret")).contains("LOGIN completed");
        }
    }

    @Test
    void imapListenersShouldServeContainerLocalToolsWithoutHeaderAndCloseOthersSilently() throws Exception {
        try (ImapClient client = ImapClient.connect("127.0.0.1", JamesHarness.port("proxiedimapserver-imap"))) {
            assertThat(client.readLine()).startsWith("* OK ");
        }
        for (String listener : new String[] {"proxiedimapserver-imap", "proxiedimapserver-imaps", "proxiedimapserver-terminated"}) {
            try (SmtpClient client = SmtpClient.connect("127.0.0.3", JamesHarness.port(listener))) {
                client.send(concat(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.143", 143), ascii("a1 CAPABILITY\r\n")));

                assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as(listener).isEmpty();
            }
        }
    }

    @Test
    void manageSieveListenerShouldHandshakeAfterTheHeaderAndCloseOthersSilently() throws Exception {
        int port = JamesHarness.port("proxiedmanagesieveserver");
        byte[] header = ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.4", 4190);
        try (EngineTlsClient client = EngineTlsClient.connect(HAPROXY, port, header)) {
            String line = client.readLine();
            StringBuilder capabilities = new StringBuilder(line);
            while (!line.startsWith("OK")) {
                line = client.readLine();
                capabilities.append('\n').append(line);
            }
            assertThat(capabilities.toString()).contains("\"IMPLEMENTATION\"").contains("\"SASL\" \"PLAIN\"");
        }
        try (SmtpClient client = SmtpClient.connect("127.0.0.3", port)) {
            client.send(header);

            assertThat(client.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
        }
    }
}
