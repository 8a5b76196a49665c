package dev.jamesproxy.james.pop3;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.protocols.lib.POP3BeforeSMTPHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.ScriptedHook;
import dev.jamesproxy.james.testing.EngineTlsClient;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Proxied POP3 listeners in a real James memory server, over loopback: 127.0.0.1 is the trusted proxy,
 * 127.0.0.2 a direct peer, 127.0.0.3 an untrusted host (see pop3server-proxied.xml). The same James has a proxied
 * SMTP listener with POP-before-SMTP (smtpserver-pop-before-smtp.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedPop3ServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private JamesHarness james;
    private int pop3;
    private int pop3s;
    private int noHook;
    private int smtp;

    @BeforeAll
    void startJames() throws Exception {
        james = JamesHarness.start(resource("/smtpserver-pop-before-smtp.xml"), null,
            Map.of("pop3server.xml", resource("/pop3server-proxied.xml")));
        pop3 = JamesHarness.port("proxied-pop3");
        pop3s = JamesHarness.port("proxied-pop3s");
        noHook = JamesHarness.port("proxied-pop3-nohook");
        smtp = JamesHarness.port("proxied-smtp-pbs");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private static String resource(String name) throws Exception {
        return new String(ProxiedPop3ServerTest.class.getResourceAsStream(name).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] v1(String client) {
        return ProxyHeaders.v1Tcp4(client, 40110, "192.0.2.110", 110);
    }

    private static void login(SmtpClient client) throws Exception {
        assertThat(client.command("USER " + JamesHarness.USER)).startsWith("+OK");
        assertThat(client.command("PASS secret")).startsWith("+OK");
    }

    @Test
    void greetingShouldComeOnlyAfterTheHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            assertThat(client.receiveWithin(Duration.ofMillis(800))).isEmpty();

            client.send(v1("203.0.113.31"));

            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
        }
    }

    @Test
    void commandsPipelinedWithTheHeaderShouldBeAnswered() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(concat(ProxyHeaders.v2("203.0.113.32", 40000, "192.0.2.110", 110).build(), ascii("CAPA\r\n")));

            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
            List<String> capabilities = new ArrayList<>();
            for (String line = client.readLine(CLOSE_WAIT); !line.equals("."); line = client.readLine(CLOSE_WAIT)) {
                capabilities.add(line);
            }
            assertThat(capabilities).contains("STLS", "USER");
        }
    }

    @Test
    void popBeforeSmtpShouldGrantRelayingToTheClientThatLoggedInNeverToTheProxyOrItsOtherClients() throws Exception {
        String client = "203.0.113.33";
        String neighbour = "203.0.113.34";
        try (SmtpClient pop = SmtpClient.connect(PROXY, pop3)) {
            pop.send(v1(client));
            assertThat(pop.readLine(CLOSE_WAIT)).startsWith("+OK");
            login(pop);
            pop.command("QUIT");
        }

        assertThat(POP3BeforeSMTPHelper.isAuthorized(client)).isTrue();
        assertThat(POP3BeforeSMTPHelper.isAuthorized(PROXY)).as("the proxy's own address").isFalse();
        assertThat(relayAnswer(client)).startsWith("250");
        assertThat(relayAnswer(neighbour)).doesNotStartWith("250");
    }

    private String relayAnswer(String client) throws Exception {
        try (SmtpClient smtpClient = SmtpClient.connect(PROXY, smtp)) {
            smtpClient.send(concat(ProxyHeaders.v1Tcp4(client, 41000, "192.0.2.25", 25), ascii("EHLO client.example\r\n")));
            assertThat(smtpClient.readReply()).startsWith("220 ");
            assertThat(smtpClient.readReply()).startsWith("250");
            assertThat(smtpClient.command("MAIL FROM:<" + JamesHarness.USER + ">")).startsWith("250");
            return smtpClient.command("RCPT TO:<someone@elsewhere.example>");
        }
    }

    @Test
    void sessionLogLinesShouldCarryTheClientAsMdcIp() throws Exception {
        String client = "203.0.113.35";
        try (LogCapture logs = LogCapture.open(); SmtpClient pop = SmtpClient.connect(PROXY, pop3)) {
            pop.send(v1(client));
            assertThat(pop.readLine(CLOSE_WAIT)).startsWith("+OK");

            ILoggingEvent established = logs.await(line -> line.startsWith("Connection established from " + client), CLOSE_WAIT)
                .orElseThrow();
            assertThat(LogCapture.mdc(established)).containsEntry("ip", client).containsEntry("proxy.ip", PROXY)
                .containsEntry("protocol", "POP3");
        }
    }

    @Test
    void stlsAfterTheHeaderShouldWork() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(v1("203.0.113.36"));
            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
            assertThat(client.command("STLS")).startsWith("+OK");
            client.startTls();

            assertThat(client.isTls()).isTrue();
            login(client);
        }
    }

    @Test
    void implicitTlsShouldFollowTheHeader() throws Exception {
        try (EngineTlsClient client = EngineTlsClient.connect(PROXY, pop3s, v1("203.0.113.37"))) {
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.command("USER " + JamesHarness.USER)).startsWith("+OK");
        }
    }

    @Test
    void aLocalHeaderShouldBeGreetedAsTheProxy() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(ProxyHeaders.v2Local().build());

            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
        }
    }

    @Test
    void aDirectPeerShouldBeGreetedWithoutAHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(DIRECT, pop3)) {
            assertThat(client.readLine(CLOSE_WAIT)).startsWith("+OK");
        }
    }

    @Test
    void anUntrustedPeerShouldBeClosedWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(STRANGER, pop3)) {
            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void aMalformedHeaderShouldBeClosedWithoutAByteAndCounted() throws Exception {
        long before = james.probe().metric("proxyProtocol.pop3.rejected.malformed");
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(ascii("PROXY TCP4 203.0.113.38 192.0.2.110 40000\r\n"));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(james.probe().metric("proxyProtocol.pop3.rejected.malformed")).isEqualTo(before + 1);
    }

    @Test
    void aClientThatWaitsForTheGreetingShouldTimeOutWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void aHookDenialShouldSendOneErrLineAndNoGreeting() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(v1(ScriptedHook.DENY_WITH_REPLY));

            assertThat(new String(client.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("-ERR scripted denial\r\n");
        }
    }

    @Test
    void aHookDenialOnImplicitTlsShouldSendNothing() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3s)) {
            client.send(v1(ScriptedHook.DENY_WITH_REPLY));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void aHookThatThrowsShouldCloseWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, pop3)) {
            client.send(v1(ScriptedHook.THROWS));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void aListenerWithoutHooksShouldRejectEveryConnection() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, noHook)) {
            client.send(v1("203.0.113.39"));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void theClientLimitShouldCountTheClientNotTheProxy() throws Exception {
        String client = "203.0.113.40";
        try (SmtpClient first = SmtpClient.connect(PROXY, pop3); SmtpClient second = SmtpClient.connect(PROXY, pop3);
             SmtpClient other = SmtpClient.connect(PROXY, pop3); SmtpClient third = SmtpClient.connect(PROXY, pop3)) {
            first.send(v1(client));
            assertThat(first.readLine(CLOSE_WAIT)).startsWith("+OK");
            second.send(v1(client));
            assertThat(second.readLine(CLOSE_WAIT)).startsWith("+OK");
            other.send(v1("203.0.113.41"));
            assertThat(other.readLine(CLOSE_WAIT)).startsWith("+OK");

            third.send(v1(client));

            assertThat(new String(third.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("-ERR Too many connections from your address, try again later\r\n");
        }
    }
}
