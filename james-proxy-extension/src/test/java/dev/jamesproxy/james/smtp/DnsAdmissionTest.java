package dev.jamesproxy.james.smtp;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.jamesproxy.dns.testing.JamesDnsService;
import dev.jamesproxy.dns.testing.LoopbackDnsServer;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Names at admission on a real James whose DNSService asks a real dnsmasq on loopback (and nothing else): the DNS
 * blocklist hook before any byte, and the client's PTR name, forward-confirmed, in {@code Received:} and
 * {@code Mail.getRemoteHost()}. The JDK resolver of this JVM cannot see dnsmasq, so a name from it can only have come
 * through the listener's reverse DNS (ReverseDnsTest shows that runs off the event loop).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LoopbackDnsServer.PrintLogOnFailure.class)
class DnsAdmissionTest {
    private static final String PROXY = "127.0.0.1";
    private static final String LISTED = "203.0.113.66";
    private static final String NAMED = "203.0.113.77";
    private static final String FALSELY_NAMED = "203.0.113.78";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LoopbackDnsServer dns;
    private JamesHarness james;
    private int withReverseDns;
    private int withoutReverseDns;

    @BeforeAll
    void start() throws Exception {
        dns = LoopbackDnsServer.builder()
            .a("66.113.0.203.bl.test", "127.0.0.2")
            .ptr(NAMED, "client77.e2e.test")
            .a("client77.e2e.test", NAMED)
            .ptr(FALSELY_NAMED, "mail.bank.e2e.test")
            .a("mail.bank.e2e.test", "192.0.2.200")
            .start();
        james = JamesHarness.start(listeners(), null, Map.of("dnsservice.xml", JamesDnsService.dnsServiceXml(dns)));
        withReverseDns = JamesHarness.port("proxied-dns");
        withoutReverseDns = JamesHarness.port("proxied-no-rdns");
    }

    private static String listeners() {
        return "<smtpservers>" + listener("proxied-dns", "") + listener("proxied-no-rdns", "<reverseDns>false</reverseDns>")
            + "</smtpservers>";
    }

    private static String listener(String jmxName, String extra) {
        return "<proxiedsmtpserver enabled=\"true\"><jmxName>" + jmxName + "</jmxName><bind>127.0.0.1:0</bind>"
            + "<gracefulShutdown>false</gracefulShutdown><helloName autodetect=\"false\">mx.example.test</helloName>"
            + "<proxyProtocol><timeout>5s</timeout><trustedProxies>127.0.0.1</trustedProxies>" + extra
            + "<hook class=\"dev.jamesproxy.hooks.DnsBlocklist\"><zone>bl.test</zone>"
            + "<reply>554 5.7.1 Listed in bl.test</reply></hook>"
            + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/></proxyProtocol>"
            + "<handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain>"
            + "</proxiedsmtpserver>";
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aListedClientShouldGetTheConfiguredReplyBeforeAnyGreeting() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, withReverseDns)) {
            client.send(ProxyHeaders.v1Tcp4(LISTED, 40000, "192.0.2.25", 25));

            assertThat(new String(client.readUntilClosed(WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("554 5.7.1 Listed in bl.test\r\n");
        }
    }

    @Test
    void anUnlistedClientShouldBeGreeted() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, withReverseDns)) {
            client.send(ProxyHeaders.v1Tcp4("203.0.113.67", 40000, "192.0.2.25", 25));

            assertThat(client.withReplyWait(WAIT).readReply()).startsWith("220 ");
        }
    }

    @Test
    void receivedAndRemoteHostShouldCarryTheConfirmedPtrName() throws Exception {
        Mail mail = send(withReverseDns, NAMED);

        assertThat(mail.getRemoteHost()).isEqualTo("client77.e2e.test");
        assertThat(mail.getRemoteAddr()).isEqualTo(NAMED);
        assertThat(received(mail)).startsWith("from client77.e2e.test (EHLO client.example) ([" + NAMED + "])");
    }

    @Test
    void aPtrNameThatDoesNotResolveBackShouldNotBeUsed() throws Exception {
        Mail mail = send(withReverseDns, FALSELY_NAMED);

        assertThat(mail.getRemoteHost()).isEqualTo(FALSELY_NAMED);
        assertThat(received(mail)).startsWith("from " + FALSELY_NAMED + " (EHLO client.example)");
    }

    @Test
    void withoutReverseDnsJamesLooksTheNameUpItselfAndCannotSeeTheTestServer() throws Exception {
        Mail mail = send(withoutReverseDns, NAMED);

        assertThat(mail.getRemoteHost()).isNotEqualTo("client77.e2e.test");
    }

    private Mail send(int port, String clientIp) throws Exception {
        String marker = UUID.randomUUID().toString();
        try (SmtpClient client = SmtpClient.connect(PROXY, port).withReplyWait(WAIT)) {
            client.send(concat(ProxyHeaders.v1Tcp4(clientIp, 40000, "192.0.2.25", 25), ascii("EHLO client.example\r\n")));
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).startsWith("250");
            assertThat(client.command("MAIL FROM:<sender@client.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: names\r\n\r\n" + marker + "\r\n.")).startsWith("250");
        }
        return james.probe().receivedMail(mail -> {
            try {
                return mail.getMessage().getContent().toString().contains(marker);
            } catch (Exception e) {
                return false;
            }
        }, WAIT).orElseThrow();
    }

    private static String received(Mail mail) throws Exception {
        return mail.getMessage().getHeader("Received")[0].replaceAll("\\s+", " ");
    }
}
