package dev.jamesproxy.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.SmtpClient;

/** The shipped conf/ must start a real James; only the ports are moved to free ones. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleConfigurationTest {
    private static final Path CONF = Paths.get("..", "conf");

    private JamesHarness james;

    @BeforeAll
    void startJamesWithTheSampleSmtpServerXml() throws Exception {
        String xml = Files.readString(CONF.resolve("smtpserver.xml"), StandardCharsets.UTF_8)
            .replaceAll("<bind>0\\.0\\.0\\.0:[0-9]+</bind>", "<bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>");
        james = JamesHarness.start(xml);
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
            .contains("guice.extension.startable=" + ProxiedSmtpServers.class.getName());
    }

    @Test
    void demoKeystoreShouldOpenWithTheConfiguredSecret() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(CONF.resolve("keystore"))) {
            keystore.load(in, "james72laBalle".toCharArray());
        }

        assertThat(keystore.isKeyEntry("james")).isTrue();
    }

    @Test
    void localPeerShouldBeServedDirectlyOnEveryPlainTextListener() throws Exception {
        for (String listener : new String[] {"proxiedsmtpserver-25", "proxiedsmtpserver-587"}) {
            try (SmtpClient client = SmtpClient.connect("127.0.0.1", JamesHarness.port(listener))) {
                assertThat(client.readReply()).startsWith("220 ");
            }
        }
    }

    @Test
    void otherPeersShouldBeClosedSilently() throws Exception {
        for (String listener : new String[] {"proxiedsmtpserver-25", "proxiedsmtpserver-465", "proxiedsmtpserver-587"}) {
            try (SmtpClient client = SmtpClient.connect("127.0.0.3", JamesHarness.port(listener))) {
                assertThat(client.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
            }
        }
    }

    @Test
    void implicitTlsListenerShouldHandshakeWithADirectPeer() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.1", JamesHarness.port("proxiedsmtpserver-465"))) {
            client.startTls();

            assertThat(client.readReply()).startsWith("220 ");
        }
    }

    @Test
    void stockListenerShouldStillGreetAtOnce() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.3", JamesHarness.port("smtpserver-plain"))) {
            assertThat(client.readReply()).startsWith("220 ");
        }
    }
}
