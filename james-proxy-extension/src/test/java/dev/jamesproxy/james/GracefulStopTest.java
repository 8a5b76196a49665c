package dev.jamesproxy.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * James stops (as on SIGTERM: {@code GuiceJamesServer.stop()}) while proxied SMTP sessions are open, on a real James
 * memory server. Listener 'patient' gives a mail in progress 5 s to finish, listener 'hasty' 500 ms. Whatever happens,
 * a client in DATA either gets its {@code 250} and the mail is delivered, or gets {@code 421} and the mail is not. A
 * proxied POP3 listener of the same James closes its logged-in session at once with {@code -ERR}. For comparison,
 * James's stock {@code <smtpserver>} beside them closes its session in DATA without a word once James stops it.
 */
class GracefulStopTest {
    private static final String CLOSING_LINE = "421 4.3.2 Service shutting down, closing transmission channel";
    private static final String XML = "<smtpservers>" + listener("patient", "5s") + listener("hasty", "500ms")
        + "<smtpserver enabled=\"true\"><jmxName>stock</jmxName><bind>127.0.0.1:0</bind><handlerchain>"
        + "<handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain></smtpserver></smtpservers>";
    private static final String POP3_XML = "<pop3servers><proxiedpop3server enabled=\"true\"><jmxName>pop3-drained</jmxName>"
        + "<bind>127.0.0.1:0</bind><proxyProtocol><timeout>30s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/></proxyProtocol><handlerchain>"
        + "<handler class=\"org.apache.james.pop3server.core.CoreCmdHandlerLoader\"/></handlerchain></proxiedpop3server>"
        + "</pop3servers>";
    private static final String IMAP_XML = "<imapservers><proxiedimapserver enabled=\"true\"><jmxName>imap-drained</jmxName>"
        + "<bind>127.0.0.1:0</bind><auth><requireSSL>false</requireSSL><plainAuthEnabled>true</plainAuthEnabled></auth>"
        + "<proxyProtocol><timeout>30s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/></proxyProtocol></proxiedimapserver></imapservers>";

    private JamesHarness james;

    private static String listener(String name, String grace) {
        return "<proxiedsmtpserver enabled=\"true\"><jmxName>" + name + "</jmxName><bind>127.0.0.1:0</bind>"
            + "<helloName autodetect=\"false\">" + name + ".example.test</helloName>"
            + "<proxyProtocol><timeout>30s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
            + "<shutdownGrace>" + grace + "</shutdownGrace><hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>"
            + "</proxyProtocol><handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/>"
            + "</handlerchain></proxiedsmtpserver>";
    }

    @AfterEach
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    /** A session through the proxy 127.0.0.1 for {@code client}, in DATA with the headers and a first line sent. */
    private static SmtpClient inData(int port, String client, String subject) throws IOException {
        return inData(greeted(port, client), subject);
    }

    private static SmtpClient inData(SmtpClient session, String subject) throws IOException {
        assertThat(session.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
        assertThat(session.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
        assertThat(session.command("DATA")).startsWith("354");
        session.send("Subject: " + subject + "\r\n\r\nfirst line\r\n");
        return session;
    }

    private static SmtpClient greeted(int port, String client) throws IOException {
        SmtpClient session = SmtpClient.connect("127.0.0.1", port);
        session.send(ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.25", 25));
        assertThat(session.readReply()).startsWith("220 ");
        assertThat(session.command("EHLO client.example")).startsWith("250");
        return session;
    }

    @Test
    void sessionsInDataShouldCompleteWithinTheGraceOrGet421AndIdleOnesShould421AtOnce() throws Exception {
        james = JamesHarness.start(XML, null, Map.of("pop3server.xml", POP3_XML, "imapserver.xml", IMAP_XML));
        int patient = JamesHarness.port("patient");
        int hasty = JamesHarness.port("hasty");
        SmtpClient pop3 = SmtpClient.connect("127.0.0.1", JamesHarness.port("pop3-drained"));
        pop3.send(ProxyHeaders.v1Tcp4("203.0.113.4", 40000, "192.0.2.110", 110));
        assertThat(pop3.readReply()).startsWith("+OK");
        assertThat(pop3.command("USER " + JamesHarness.USER)).startsWith("+OK");
        assertThat(pop3.command("PASS secret")).startsWith("+OK");
        SmtpClient imap = SmtpClient.connect("127.0.0.1", JamesHarness.port("imap-drained"));
        imap.send(ProxyHeaders.v1Tcp4("203.0.113.5", 40000, "192.0.2.143", 143));
        assertThat(imap.readLine(Duration.ofSeconds(5))).startsWith("* OK");
        assertThat(imap.command("a1 LOGIN " + JamesHarness.USER + " secret")).startsWith("a1 OK");
        SmtpClient completing = inData(patient, "203.0.113.1", "completes-within-grace");
        SmtpClient idle = greeted(patient, "203.0.113.2");
        Socket waiting = new Socket(InetAddress.getLoopbackAddress(), patient);
        waiting.setSoTimeout(5000);
        SmtpClient cut = inData(hasty, "203.0.113.3", "cut-at-the-end-of-grace");
        SmtpClient stock = SmtpClient.connect("127.0.0.1", JamesHarness.port("stock"));
        assertThat(stock.readReply()).startsWith("220 ");
        assertThat(stock.command("EHLO client.example")).startsWith("250");
        inData(stock, "in-data-on-the-stock-listener");
        Thread.sleep(200);

        try (LogCapture logs = LogCapture.open(); completing; idle; waiting; cut; pop3; imap; stock) {
            long stopping = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(james::close);

            assertThat(idle.readReply()).as("an idle session is told at once").isEqualTo(CLOSING_LINE);
            assertThat(idle.readUntilClosed(Duration.ofSeconds(2))).isEmpty();
            assertThat(waiting.getInputStream().read()).as("no byte to a connection waiting for its header").isEqualTo(-1);
            assertThat(pop3.readReply()).as("POP3 has no transaction to finish").isEqualTo("-ERR Server shutting down, try again later");
            assertThat(pop3.readUntilClosed(Duration.ofSeconds(2))).isEmpty();
            assertThat(imap.readLine(Duration.ofSeconds(5))).as("IMAP is told with an untagged BYE").isEqualTo("* BYE Server shutting down");
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(3));
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), patient).close())
                .as("the listener no longer accepts connections").isInstanceOf(ConnectException.class);

            assertThat(cut.readReply()).as("the hasty listener cuts its mail in DATA after 500 ms").isEqualTo(CLOSING_LINE);
            try {
                cut.send("last line\r\n.\r\n");
            } catch (IOException closed) {
                // the connection may already be gone; either way the mail must not be delivered
            }
            assertThat(cut.readUntilClosed(Duration.ofSeconds(2))).isEmpty();

            completing.send("last line\r\n.\r\n");
            assertThat(completing.readReply()).as("the patient listener lets the mail in DATA finish").startsWith("250 ");
            assertThat(james.probe().inboxMessageContaining(JamesHarness.USER, "completes-within-grace", Duration.ofSeconds(5)))
                .as("a mail that got 250 while James stopped is delivered").isPresent();
            assertThat(completing.command("QUIT")).as("the next command gets 421").isEqualTo(CLOSING_LINE);
            assertThat(completing.readUntilClosed(Duration.ofSeconds(2))).isEmpty();
            assertThat(james.probe().inboxMessages(JamesHarness.USER).stream().filter(m -> m.contains("cut-at-the-end-of-grace")))
                .as("the mail cut with 421 is not delivered, even with its final dot sent after").isEmpty();

            stopped.get(30, TimeUnit.SECONDS);
            james = null;
            assertThat(stock.readUntilClosed(Duration.ofSeconds(5)))
                .as("James's stock <smtpserver> closes a session in DATA without a reply").isEmpty();
            assertThat(drainLine(logs, "patient")).contains("1 connection(s) waiting for a PROXY header closed,"
                + " 1 idle session(s) closed with '" + CLOSING_LINE + "', 1 session(s) in a transaction finished within the"
                + " 5000 ms grace period, 0 cut at its end");
            assertThat(drainLine(logs, "hasty")).contains("0 connection(s) waiting for a PROXY header closed,"
                + " 0 idle session(s) closed with '" + CLOSING_LINE + "', 0 session(s) in a transaction finished within the"
                + " 500 ms grace period, 1 cut at its end");
        }
    }

    private static String drainLine(LogCapture logs, String listener) throws InterruptedException {
        return logs.awaitEvent(event -> event.getFormattedMessage().contains("listener '" + listener + "' stopped accepting"),
            Duration.ofSeconds(1)).map(ILoggingEvent::getFormattedMessage)
            .orElseThrow(() -> new AssertionError("no drain line for " + listener));
    }
}
