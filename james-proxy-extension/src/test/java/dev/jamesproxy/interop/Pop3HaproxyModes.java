package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.CLIENT;
import static dev.jamesproxy.interop.InteropJames.PROXY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;

/**
 * HAProxy 2.x run with the repository's {@code conf/haproxy-pop3.cfg} as is, addresses given through its environment
 * variables, in front of the {@code <proxiedpop3server>} listeners of {@code conf/pop3server.xml}: v2 with CRC32C and
 * STLS at James (110), and TLS passthrough to James's POP3S (995). curl, bound to 127.0.0.5 and a port chosen here,
 * logs in and lists the mailbox; James's "Connection established from" line must name that client, in its text and
 * its MDC. Health checks (check-send-proxy, then a tcp-check expecting {@code +OK}) run against James all along.
 */
abstract class Pop3HaproxyModes extends InteropMode {
    /** Every backend's check: a LOCAL header, then James's {@code +OK}. */
    private static final Map<String, String> CHECKS = Map.of("james_pop3", "L7OK", "james_pop3s", "L7OK");

    private int pop3Frontend;
    private int pop3sFrontend;
    private ExternalProcess haproxy;
    private HaproxyStats stats;

    @BeforeAll
    void startHaproxy() {
        Binaries.require("haproxy", "haproxy");
        Binaries.require("curl", "curl");
        InteropJames james = james();
        pop3Frontend = FreePorts.on("127.0.0.1");
        pop3sFrontend = FreePorts.on("127.0.0.1");
        Map<String, String> environment = Map.of(
            "POP3_BIND", "127.0.0.1:" + pop3Frontend,
            "POP3S_BIND", "127.0.0.1:" + pop3sFrontend,
            "JAMES_HOST", "127.0.0.1",
            "JAMES_POP3_PORT", String.valueOf(james.pop3),
            "JAMES_POP3S_PORT", String.valueOf(james.pop3s));
        RunningHaproxy running = runHaproxy("haproxy-pop3", "haproxy-pop3.cfg", environment,
            pop3Frontend, pop3sFrontend);
        haproxy = running.process;
        stats = running.stats;
    }

    @Test
    void sendProxyV2ShouldGiveJamesTheClientAndStlsShouldWorkAfterIt() throws Exception {
        listThrough("pop3://127.0.0.1:" + pop3Frontend + "/", "--ssl-reqd");
    }

    @Test
    void tcpPassthroughShouldPutTheHeaderBeforeJamesOwnImplicitTls() throws Exception {
        listThrough("pop3s://127.0.0.1:" + pop3sFrontend + "/");
    }

    @Test
    void healthChecksWithProxyHeadersAndTheGreetingShouldKeepEveryBackendUp() throws Exception {
        long localBefore = james().metric("proxyProtocol.pop3.accepted.withoutClientAddress");
        long rejectedBefore = james().metric("proxyProtocol.pop3.rejected");
        stats.awaitChecks(CHECKS, Duration.ofSeconds(20));

        listThrough("pop3://127.0.0.1:" + pop3Frontend + "/", "--ssl-reqd");
        james().awaitMetric("proxyProtocol.pop3.accepted.withoutClientAddress", localBefore + 4, Duration.ofSeconds(20));

        assertThat(james().metric("proxyProtocol.pop3.accepted.withoutClientAddress"))
            .as("LOCAL health-check headers accepted by James (inter 2s, two backends)")
            .isGreaterThanOrEqualTo(localBefore + 4);
        stats.assertUpWithoutFailedChecks(CHECKS);
        assertThat(haproxy.output()).as("HAProxy's log").doesNotContain(" is DOWN");
        assertThat(james().metric("proxyProtocol.pop3.rejected")).as("POP3 rejections in James").isEqualTo(rejectedBefore);
    }

    /** Logs in and lists the mailbox through {@code url}; James's log must show the client, not HAProxy. */
    private void listThrough(String url, String... curlOptions) throws Exception {
        int clientPort = FreePorts.on(CLIENT);
        try (LogCapture logs = LogCapture.open()) {
            ClientRun curl = Curl.listMailbox(url, CLIENT, clientPort, JamesHarness.USER, "secret", curlOptions);
            assertThat(curl.exitCode).as("curl should log in and list the mailbox:\n%s", curl).isZero();
            String transcript = curl.toString();

            // curl's TLS notes ("{ [5 bytes data]") may come between a command and its reply.
            assertThat(transcript).contains("> PASS ").containsPattern("< \\+OK Welcome")
                .containsPattern("> LIST\\R(\\{ .*\\R)?< \\+OK");
            ILoggingEvent established = logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection established from "
                + CLIENT) && "POP3".equals(LogCapture.mdc(e).get("protocol")), Duration.ofSeconds(5))
                .orElseThrow(() -> new AssertionError("James logged no POP3 'Connection established from " + CLIENT
                    + "'\n" + transcript));
            assertThat(LogCapture.mdc(established)).as(transcript).containsEntry("ip", CLIENT).containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", CLIENT + ":" + clientPort);
        }
    }
}
