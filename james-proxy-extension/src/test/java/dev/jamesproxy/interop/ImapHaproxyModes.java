package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.TLS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HAProxy 2.x run with the repository's {@code conf/haproxy-imap.cfg} as is, addresses given through its environment
 * variables, in front of the {@code <proxiedimapserver>} listeners of {@code conf/imapserver.xml}: v2 with CRC32C and
 * STARTTLS at James (143), v1 (send-proxy), TLS passthrough to James's IMAPS (993) and TLS terminated at HAProxy with
 * the SSL TLV (send-proxy-v2-ssl). Health checks (check-send-proxy, then a tcp-check expecting {@code * OK}) run
 * against James all along.
 */
abstract class ImapHaproxyModes extends ImapMode {
    /** Every backend's check: a LOCAL header (or v1 from HAProxy itself), then James's {@code * OK}. */
    private static final Map<String, String> CHECKS = Map.of("james_imap", "L7OK", "james_imap_v1", "L7OK",
        "james_imaps", "L7OK", "james_imap_terminated", "L7OK");

    private int imapFrontend;
    private int imapV1Frontend;
    private int imapsFrontend;
    private int terminatedFrontend;
    private ExternalProcess haproxy;
    private HaproxyStats stats;

    @BeforeAll
    void startHaproxy() {
        Binaries.require("haproxy", "haproxy");
        Binaries.require("curl", "curl");
        InteropJames james = james();
        imapFrontend = FreePorts.on("127.0.0.1");
        imapV1Frontend = FreePorts.on("127.0.0.1");
        imapsFrontend = FreePorts.on("127.0.0.1");
        terminatedFrontend = FreePorts.on("127.0.0.1");
        Map<String, String> environment = Map.ofEntries(
            Map.entry("IMAP_BIND", "127.0.0.1:" + imapFrontend),
            Map.entry("IMAP_V1_BIND", "127.0.0.1:" + imapV1Frontend),
            Map.entry("IMAPS_BIND", "127.0.0.1:" + imapsFrontend),
            Map.entry("IMAPS_TERMINATED_BIND", "127.0.0.1:" + terminatedFrontend),
            Map.entry("JAMES_HOST", "127.0.0.1"),
            Map.entry("JAMES_IMAP_PORT", String.valueOf(james.imap)),
            Map.entry("JAMES_IMAPS_PORT", String.valueOf(james.imaps)),
            Map.entry("JAMES_IMAP_TERMINATED_PORT", String.valueOf(james.imapTerminated)),
            Map.entry("TLS_PEM", TLS.resolve("haproxy.pem").toString()));
        RunningHaproxy running = runHaproxy("haproxy-imap", "haproxy-imap.cfg", environment,
            imapFrontend, imapV1Frontend, imapsFrontend, terminatedFrontend);
        haproxy = running.process;
        stats = running.stats;
    }

    @Test
    void sendProxyV2ShouldGiveJamesTheClientAndStartTlsShouldWorkAfterIt() throws Exception {
        Map<String, String> mdc = selectInboxThrough("imap://127.0.0.1:" + imapFrontend + "/", "--ssl-reqd");

        assertThat(mdc).containsEntry("proxy.destination", "/127.0.0.1:" + imapFrontend);
    }

    @Test
    void sendProxyV1ShouldGiveJamesTheClient() throws Exception {
        Map<String, String> mdc = selectInboxThrough("imap://127.0.0.1:" + imapV1Frontend + "/", "--ssl-reqd");

        assertThat(mdc).containsEntry("proxy.destination", "/127.0.0.1:" + imapV1Frontend);
    }

    @Test
    void tcpPassthroughShouldPutTheHeaderBeforeJamesOwnImplicitTls() throws Exception {
        selectInboxThrough("imaps://127.0.0.1:" + imapsFrontend + "/");
    }

    @Test
    void haproxyTerminatingTlsWithSendProxyV2SslShouldGiveJamesTheClient() throws Exception {
        selectInboxThrough("imaps://127.0.0.1:" + terminatedFrontend + "/");
    }

    @Test
    void healthChecksWithProxyHeadersAndTheGreetingShouldKeepEveryBackendUp() throws Exception {
        long localBefore = james().metric("proxyProtocol.imap.accepted.withoutClientAddress");
        long rejectedBefore = james().metric("proxyProtocol.imap.rejected");
        stats.awaitChecks(CHECKS, Duration.ofSeconds(20));

        selectInboxThrough("imap://127.0.0.1:" + imapFrontend + "/", "--ssl-reqd");
        james().awaitMetric("proxyProtocol.imap.accepted.withoutClientAddress", localBefore + 6, Duration.ofSeconds(20));

        assertThat(james().metric("proxyProtocol.imap.accepted.withoutClientAddress"))
            .as("LOCAL health-check headers accepted by James (inter 2s; the three v2 backends send LOCAL, the v1 one"
                + " sends PROXY TCP4 with HAProxy's own addresses)")
            .isGreaterThanOrEqualTo(localBefore + 6);
        stats.assertUpWithoutFailedChecks(CHECKS);
        assertThat(haproxy.output()).as("HAProxy's log").doesNotContain(" is DOWN");
        assertThat(james().metric("proxyProtocol.imap.rejected")).as("IMAP rejections in James").isEqualTo(rejectedBefore);
    }
}
