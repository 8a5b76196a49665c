package dev.jamesproxy.james;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedSmtpServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String CLIENT = "203.0.113.7";

    private JamesHarness james;
    private int plain;

    @BeforeAll
    void startJames() throws Exception {
        String xml = new String(getClass().getResourceAsStream("/smtpserver-proxied.xml").readAllBytes(), StandardCharsets.UTF_8);
        james = JamesHarness.start(xml);
        plain = JamesHarness.port("proxied-plain");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void serverShouldSendNothingBeforeTheHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(client.receiveWithin(Duration.ofMillis(600))).isEmpty();

            client.send(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.25", 25));

            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    @Test
    void ehloShouldShowTheClientWhenHeaderAndEhloArriveInOneWrite() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.25", 25), ascii("EHLO client.example\r\n")));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]");
        }
    }
}
