package dev.jamesproxy.james;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.zip.CRC32C;

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
            client.send(concat(v2WithCrc32c(CLIENT, 40000, "192.0.2.25", 25), ascii("EHLO client.example\r\n")));

            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.readReply()).contains("[" + CLIENT + "]");
        }
    }

    /**
     * A PROXY v2 TCP4 header with a CRC32C TLV, built with the JDK alone: this test runs without the extension's
     * classes on its classpath, so ProxyHeaders.v2 (which writes through the extension's HeaderWriter) cannot be used.
     */
    private static byte[] v2WithCrc32c(String source, int sourcePort, String destination, int destinationPort)
            throws UnknownHostException {
        ByteBuffer header = ByteBuffer.allocate(16 + 12 + 7);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21).put((byte) 0x11).putShort((short) (12 + 7));
        header.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
        header.putShort((short) sourcePort).putShort((short) destinationPort);
        header.put((byte) 0x03).putShort((short) 4).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array());
        header.putInt(header.capacity() - 4, (int) crc.getValue());
        return header.array();
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
