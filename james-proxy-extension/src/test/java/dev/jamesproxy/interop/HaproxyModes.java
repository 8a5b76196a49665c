package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.TLS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.interop.InteropJames.Delivery;

/**
 * HAProxy 2.x run with the repository's {@code conf/haproxy.cfg} as is (the file docker-compose mounts), addresses
 * given through its environment variables. Its four frontends are the four modes: v2 with CRC32C/unique id/authority
 * (port 25 role), v1 (587), TLS passthrough to James's implicit TLS (465) and TLS terminated with the SSL TLV (10465).
 * Health checks (a header first: LOCAL on the v2 backends, HAProxy's own addresses on the v1 one; then
 * {@code option smtpchk}'s EHLO on 25 and 587) run against James all along.
 */
abstract class HaproxyModes extends InteropMode {
    /** {@code option smtpchk} backends check at layer 7 (a 250 to EHLO after the LOCAL header); the others at layer 4. */
    private static final Map<String, String> CHECKS = Map.of("james_smtp", "L7OK", "james_submission", "L7OK",
        "james_smtps", "L4OK", "james_terminated", "L4OK");

    private int smtpFrontend;
    private int smtpsFrontend;
    private int submissionFrontend;
    private int terminatedFrontend;
    private ExternalProcess haproxy;
    private HaproxyStats stats;

    @BeforeAll
    void startHaproxy() {
        Binaries.require("haproxy", "haproxy");
        Binaries.requireSwaksWithTls();
        InteropJames james = james();
        smtpFrontend = FreePorts.on("127.0.0.1");
        smtpsFrontend = FreePorts.on("127.0.0.1");
        submissionFrontend = FreePorts.on("127.0.0.1");
        terminatedFrontend = FreePorts.on("127.0.0.1");
        Map<String, String> environment = Map.ofEntries(
            Map.entry("SMTP_BIND", "127.0.0.1:" + smtpFrontend),
            Map.entry("SMTPS_BIND", "127.0.0.1:" + smtpsFrontend),
            Map.entry("SUBMISSION_BIND", "127.0.0.1:" + submissionFrontend),
            Map.entry("SMTPS_TERMINATED_BIND", "127.0.0.1:" + terminatedFrontend),
            Map.entry("JAMES_HOST", "127.0.0.1"),
            Map.entry("JAMES_SMTP_PORT", String.valueOf(james.smtp)),
            Map.entry("JAMES_SMTPS_PORT", String.valueOf(james.smtps)),
            Map.entry("JAMES_SUBMISSION_PORT", String.valueOf(james.submission)),
            Map.entry("JAMES_TERMINATED_PORT", String.valueOf(james.terminated)),
            Map.entry("TLS_PEM", TLS.resolve("haproxy.pem").toString()),
            Map.entry("CLIENT_CA", TLS.resolve("ca.crt").toString()));
        RunningHaproxy running = runHaproxy("haproxy", "haproxy.cfg", environment,
            smtpFrontend, smtpsFrontend, submissionFrontend, terminatedFrontend);
        haproxy = running.process;
        stats = running.stats;
    }

    @Test
    void sendProxyV1ShouldGiveJamesTheClientAndStartTlsShouldWorkAfterIt() throws Exception {
        Sent sent = send("haproxy-v1", submissionFrontend, "--tls");

        Delivery delivery = assertDeliveredFromTheClient(sent, 1);
        assertTlsWithJames(sent);
        assertThat(delivery.attribute(MailAttributes.DESTINATION_PORT)).isEqualTo(submissionFrontend);
        assertThat(delivery.attribute(MailAttributes.CRC32C)).isEqualTo("absent");
    }

    @Test
    void sendProxyV2ShouldCarryAVerifiedCrc32cAndHaproxysUniqueId() throws Exception {
        Sent sent = send("haproxy-v2", smtpFrontend);

        Delivery delivery = assertDeliveredFromTheClient(sent, 2);
        assertThat(delivery.attribute(MailAttributes.CRC32C)).as(delivery.toString()).isEqualTo("valid");
        // unique-id-format %{+X}o%ci:%cp_%fi:%fp_%Ts_%rt:%pid, in hex: the client, then the frontend.
        String expectedPrefix = String.format(Locale.ROOT, "7F000005:%04X_7F000001:%04X_", sent.clientPort, smtpFrontend);
        assertThat((String) delivery.attribute(MailAttributes.UNIQUE_ID)).as(delivery.toString()).startsWith(expectedPrefix);
        assertThat(delivery.attribute(MailAttributes.DESTINATION_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(delivery.attribute(MailAttributes.DESTINATION_PORT)).isEqualTo(smtpFrontend);
        assertThat(delivery.attribute(MailAttributes.AUTHORITY)).as("no SNI on a plain TCP frontend").isNull();
        assertThat(delivery.received).contains("with ESMTP ");
    }

    @Test
    void haproxyTerminatingTlsShouldPassTheTlsFactsAndTheClientCertificateInTheSslTlv() throws Exception {
        Sent sent = send("haproxy-ssl", terminatedFrontend, "--tlsc",
            "--tls-cert", TLS.resolve("client.crt").toString(), "--tls-key", TLS.resolve("client.key").toString());

        Delivery delivery = assertDeliveredFromTheClient(sent, 2);
        String described = sent.swaks + "\n" + delivery;
        assertThat(sent.swaks.tlsVersion()).as(described).isPresent();
        assertThat(delivery.attribute(MailAttributes.TLS)).as(described).isEqualTo(true);
        assertThat(delivery.attribute(MailAttributes.TLS_VERSION)).as(described).isEqualTo(sent.swaks.tlsVersion().get());
        assertThat(delivery.attribute(MailAttributes.TLS_CIPHER)).as(described).isEqualTo(sent.swaks.tlsCipher().get());
        assertThat(delivery.attribute(MailAttributes.TLS_CLIENT_CERTIFICATE)).as(described).isEqualTo(true);
        assertThat(delivery.attribute(MailAttributes.TLS_CLIENT_CERTIFICATE_VERIFIED)).as(described).isEqualTo(true);
        assertThat(delivery.attribute(MailAttributes.TLS_COMMON_NAME)).as(described).isEqualTo("alice");
        // cert-key and cert-sig describe HAProxy's own certificate (conf/tls/haproxy.pem: RSA 2048, SHA-256).
        assertThat(delivery.attribute(MailAttributes.TLS_KEY_ALGORITHM)).as(described).isEqualTo("RSA2048");
        assertThat(delivery.attribute(MailAttributes.TLS_SIGNATURE_ALGORITHM)).as(described).isEqualTo("RSA-SHA256");
        assertThat(delivery.attribute(MailAttributes.CRC32C)).as(described).isEqualTo("valid");
        assertThat((String) delivery.attribute(MailAttributes.UNIQUE_ID)).as(described).startsWith("7F000005:");
    }

    @Test
    void haproxyTerminatingTlsShouldSayWhenNoClientCertificateWasSent() throws Exception {
        Sent sent = send("haproxy-ssl-nocert", terminatedFrontend, "--tlsc");

        Delivery delivery = assertDeliveredFromTheClient(sent, 2);
        assertThat(delivery.attribute(MailAttributes.TLS)).as(delivery.toString()).isEqualTo(true);
        assertThat(delivery.attribute(MailAttributes.TLS_VERSION)).isEqualTo(sent.swaks.tlsVersion().orElseThrow());
        assertThat(delivery.attribute(MailAttributes.TLS_CLIENT_CERTIFICATE)).isEqualTo(false);
        assertThat(delivery.attribute(MailAttributes.TLS_COMMON_NAME)).isNull();
    }

    @Test
    void tcpPassthroughShouldPutTheHeaderBeforeJamesOwnImplicitTls() throws Exception {
        Sent sent = send("haproxy-passthrough", smtpsFrontend, "--tlsc");

        Delivery delivery = assertDeliveredFromTheClient(sent, 2);
        assertTlsWithJames(sent);
        assertThat(delivery.attribute(MailAttributes.TLS)).as("HAProxy did not terminate TLS, so no SSL TLV").isNull();
        assertThat(delivery.attribute(MailAttributes.CRC32C)).isEqualTo("valid");
        assertThat(delivery.attribute(MailAttributes.DESTINATION_PORT)).isEqualTo(smtpsFrontend);
    }

    @Test
    void healthChecksWithLocalHeadersShouldKeepEveryBackendUpWhileMailFlows() throws Exception {
        long localBefore = james().metric("proxyProtocol.accepted.withoutClientAddress");
        long rejectedBefore = james().metric("proxyProtocol.rejected");
        stats.awaitChecks(CHECKS, Duration.ofSeconds(20));

        Sent duringChecks = send("haproxy-during-checks", smtpFrontend);
        assertDeliveredFromTheClient(duringChecks, 2);
        james().awaitMetric("proxyProtocol.accepted.withoutClientAddress", localBefore + 8, Duration.ofSeconds(20));
        Sent afterChecks = send("haproxy-after-checks", submissionFrontend);
        assertDeliveredFromTheClient(afterChecks, 1);

        assertThat(james().metric("proxyProtocol.accepted.withoutClientAddress"))
            .as("LOCAL health-check headers accepted by James (inter 2s; the three v2 backends send LOCAL, the v1 one"
                + " sends PROXY TCP4 with HAProxy's own addresses)")
            .isGreaterThanOrEqualTo(localBefore + 8);
        stats.assertUpWithoutFailedChecks(CHECKS);
        assertThat(haproxy.output()).as("HAProxy's log").doesNotContain(" is DOWN");
        assertThat(james().metric("proxyProtocol.rejected")).as("rejections in James").isEqualTo(rejectedBefore);
    }
}
