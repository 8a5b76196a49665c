package dev.jamesproxy.james;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * The drop-in case: the packaged jar sits only in {@code <workdir>/extensions-jars/}, and the
 * extension's classes are not on the test classpath (failsafe runs this after {@code package}, with
 * the main classes left out; see the pom).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionJarIT {
    private static final String CLIENT = "203.0.113.7";

    private JamesHarness james;
    private int port;

    @BeforeAll
    void startJamesWithTheJarInExtensionsJars() throws Exception {
        Path jar = Paths.get(System.getProperty("extension.jar", "target/james-proxy-extension.jar"));
        assertThat(jar).exists();
        String xml = new String(getClass().getResourceAsStream("/smtpserver-extension-jar.xml").readAllBytes(),
            StandardCharsets.UTF_8);
        james = JamesHarness.start(xml, jar);
        port = JamesHarness.port("proxied-from-jar");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    @Order(1)
    void extensionClassesShouldNotBeOnTheTestClasspath() {
        assertThatThrownBy(() -> Class.forName("dev.jamesproxy.james.ProxiedServers"))
            .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.jamesproxy.protocol.ProxyHeaderParser"))
            .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    @Order(2)
    void listenerFromTheJarShouldServeTheClientAfterTheHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.1", port)) {
            assertThat(client.receiveWithin(Duration.ofMillis(300))).isEmpty();
            client.send(concat(ProxyHeaders.v2(CLIENT, 40000, "192.0.2.25", 25).crc32c().build(), ascii("EHLO client.example\r\n")));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]");
        }
    }

    @Test
    @Order(3)
    void builtInHooksFromTheJarShouldApply() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.1", port)) {
            client.send(concat(ProxyHeaders.v1Tcp4("198.51.100.4", 40000, "192.0.2.25", 25), ascii("EHLO x\r\n")));

            assertThat(client.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    @Order(4)
    void mailShouldBeDeliveredWithTheClientAndTheProxyHopInReceived() throws Exception {
        String subject = "from-jar-" + System.nanoTime();
        try (SmtpClient client = SmtpClient.connect("127.0.0.1", port)) {
            client.send(ProxyHeaders.v1Tcp4(CLIENT, 40000, "192.0.2.25", 25));
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: " + subject + "\r\n\r\nhi\r\n.")).startsWith("250");
        }

        String message = james.probe().inboxMessageContaining(JamesHarness.USER, subject, Duration.ofSeconds(10)).orElseThrow();
        assertThat(message).contains("([" + CLIENT + "]) (via PROXY v1 from [127.0.0.1])");
        assertThat(james.probe().metric("proxyProtocol.accepted")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(5)
    void stoppingJamesShouldCloseTheListener() throws Exception {
        james.close();
        james = null;

        assertThatThrownBy(() -> SmtpClient.connect("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
