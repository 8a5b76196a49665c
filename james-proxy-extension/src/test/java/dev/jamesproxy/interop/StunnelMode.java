package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.TLS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.interop.InteropJames.Delivery;

/**
 * stunnel the way operators put it in front of a plain-text service: server mode, terminating the client's TLS
 * (port 465 style) and connecting to James in clear with {@code protocol = proxy}, i.e. a v1 header. James's
 * listener is the one meant for TLS terminated at a proxy. {@code conf/stunnel.conf} is the example for operators.
 */
abstract class StunnelMode extends InteropMode {
    private int acceptPort;

    @BeforeAll
    void startStunnel() throws Exception {
        String binary = Binaries.find("stunnel4").or(() -> Binaries.find("stunnel"))
            .orElseGet(() -> Binaries.require("stunnel4", "stunnel4")).toString();
        Binaries.requireSwaksWithTls();
        acceptPort = FreePorts.on("127.0.0.1");
        String configuration = String.join("\n",
            "foreground = yes",
            "pid =",
            "debug = info",
            "",
            "[smtps]",
            "accept = 127.0.0.1:" + acceptPort,
            "connect = 127.0.0.1:" + james().terminated,
            "cert = " + TLS.resolve("server.crt"),
            "key = " + TLS.resolve("server.key"),
            "protocol = proxy",
            "");
        Path conf = directory.resolve("stunnel.conf");
        Files.writeString(conf, configuration, StandardCharsets.UTF_8);
        start("stunnel", List.of(binary, conf.toString()), Map.of()).awaitListening(acceptPort, Duration.ofSeconds(15));
    }

    @Test
    void stunnelProtocolProxyShouldGiveJamesTheClient() throws Exception {
        Sent sent = send("stunnel", acceptPort, "--tlsc");

        Delivery delivery = assertDeliveredFromTheClient(sent, 1);
        assertThat(sent.swaks.transcript).contains("TLS started with cipher");
        assertThat(delivery.attribute(MailAttributes.DESTINATION_PORT)).isEqualTo(acceptPort);
        assertThat(delivery.attribute(MailAttributes.TLS))
            .as("a v1 header cannot say the client used TLS; HAProxy's send-proxy-v2-ssl can").isNull();
    }
}
