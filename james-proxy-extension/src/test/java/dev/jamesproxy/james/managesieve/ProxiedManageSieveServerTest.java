package dev.jamesproxy.james.managesieve;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

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
 * {@code <proxiedmanagesieveserver>} listeners in a real James memory server, driven over loopback by raw sockets.
 * The TCP peer 127.0.0.1 is the trusted proxy, 127.0.0.2 a direct peer, 127.0.0.3 an untrusted host (see
 * managesieveserver-proxied.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedManageSieveServerTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";
    private static final String CLIENT = "203.0.113.7";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration LINE_WAIT = Duration.ofSeconds(10);
    private static final byte[] CAPABILITY = ascii("CAPABILITY\r\n");

    private JamesHarness james;
    private int plain;
    private int tls;
    private int stock;

    @BeforeAll
    void startJames() throws Exception {
        try (InputStream xml = getClass().getResourceAsStream("/managesieveserver-proxied.xml")) {
            james = JamesHarness.startWith(Map.of("managesieveserver.xml",
                new String(xml.readAllBytes(), StandardCharsets.UTF_8)));
        }
        plain = JamesHarness.port("proxied-sieve");
        tls = JamesHarness.port("proxied-sieve-tls");
        stock = JamesHarness.port("managesieveserver");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private static byte[] v1(String client, int port) {
        return ProxyHeaders.v1Tcp4(client, port, "192.0.2.4", 4190);
    }

    /** Reads lines up to the first {@code OK}, {@code NO} or {@code BYE} response; lines joined with \n. */
    private static String response(SmtpClient client) throws IOException {
        StringBuilder lines = new StringBuilder();
        while (true) {
            String line = client.readLine(LINE_WAIT);
            lines.append(lines.length() == 0 ? "" : "\n").append(line);
            if (line.startsWith("OK") || line.startsWith("NO") || line.startsWith("BYE")) {
                return lines.toString();
            }
        }
    }

    private static String authenticatePlain() {
        String credentials = "\0" + JamesHarness.USER + "\0secret";
        return "AUTHENTICATE \"PLAIN\" \"" + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
            + "\"\r\n";
    }

    @Test
    void capabilitiesShouldComeOnlyAfterTheHeaderAndPipelinedCommandsBeAnswered() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(client.receiveWithin(Duration.ofMillis(1000))).isEmpty();

            client.send(concat(v1(CLIENT, 40000), CAPABILITY, ascii(authenticatePlain()), ascii("LISTSCRIPTS\r\n")));

            assertThat(response(client)).contains("\"IMPLEMENTATION\"").contains("\"STARTTLS\"").endsWith("OK");
            assertThat(response(client)).contains("\"IMPLEMENTATION\"").endsWith("OK");
            assertThat(response(client)).startsWith("OK");
            assertThat(response(client)).endsWith("OK");
        }
    }

    @Test
    void jamesManageSieveMdcAndLogLinesShouldShowTheClient() throws Exception {
        String client = "203.0.113.78";
        try (LogCapture logs = LogCapture.open()) {
            try (SmtpClient sieve = SmtpClient.connect(PROXY, plain)) {
                sieve.send(concat(v1(client, 41190), CAPABILITY));
                response(sieve);
                assertThat(response(sieve)).endsWith("OK");
            }
            ILoggingEvent established = logs.await(m -> m.equals("Connection established from " + client),
                Duration.ofSeconds(3)).orElseThrow(() -> new AssertionError("no 'Connection established from " + client + "'"));
            assertThat(LogCapture.mdc(established)).containsEntry("protocol", "MANAGE-SIEVE")
                .containsEntry("ip", client)
                .containsEntry("host", client)
                .containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", client + ":41190")
                .containsEntry("proxy.destination", "192.0.2.4:4190");
            ILoggingEvent closed = logs.await(m -> m.equals("Connection closed for " + client), Duration.ofSeconds(3))
                .orElseThrow();
            assertThat(LogCapture.mdc(closed)).containsEntry("ip", client).containsEntry("proxy.ip", PROXY);
        }
    }

    @Test
    void localHeaderShouldKeepTheProxyAsTheAddress() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            try (SmtpClient sieve = SmtpClient.connect(PROXY, plain)) {
                sieve.send(ProxyHeaders.v2Local().build());
                assertThat(response(sieve)).endsWith("OK");
            }
            ILoggingEvent established = logs.await(m -> m.equals("Connection established from " + PROXY),
                Duration.ofSeconds(3)).orElseThrow();
            assertThat(LogCapture.mdc(established)).containsEntry("ip", PROXY).doesNotContainKey("proxy.source");
        }
    }

    @Test
    void hookDenialWithAReplyShouldSendOneByeLineThenClose() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.DENY_WITH_REPLY, 40000), CAPABILITY));

            assertThat(new String(client.readUntilClosed(CLOSE_WAIT), StandardCharsets.US_ASCII))
                .isEqualTo("BYE \"scripted denial\"\r\n");
        }
    }

    @Test
    void hookDenialOnImplicitTlsShouldCloseWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, tls)) {
            client.send(v1(ScriptedHook.DENY_WITH_REPLY, 40000));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void throwingHookShouldCloseWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(concat(v1(ScriptedHook.THROWS, 40000), CAPABILITY));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void untrustedPeerShouldBeClosedWithoutAByte() throws Exception {
        long before = james.probe().metric("proxyProtocol.managesieve.rejected.untrusted");
        try (SmtpClient client = SmtpClient.connect(STRANGER, plain)) {
            client.send(concat(v1(CLIENT, 40000), CAPABILITY));

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
        assertThat(james.probe().metric("proxyProtocol.managesieve.rejected.untrusted")).isEqualTo(before + 1);
    }

    @Test
    void malformedHeaderShouldBeClosedWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(CAPABILITY);

            assertThat(client.readUntilClosed(CLOSE_WAIT)).isEmpty();
        }
    }

    @Test
    void silentProxyShouldBeClosedAtTheHeaderTimeoutWithoutAByte() throws Exception {
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            assertThat(client.readUntilClosed(Duration.ofSeconds(8))).isEmpty();
        }
    }

    @Test
    void directPeerShouldBeGreetedWithoutHeader() throws Exception {
        try (SmtpClient client = SmtpClient.connect(DIRECT, plain)) {
            assertThat(response(client)).contains("\"IMPLEMENTATION\"").endsWith("OK");
        }
    }

    @Test
    void stockListenerShouldStillGreetAtOnce() throws Exception {
        try (SmtpClient client = SmtpClient.connect(STRANGER, stock)) {
            assertThat(response(client)).contains("\"IMPLEMENTATION\"").endsWith("OK");
        }
    }

    // No STARTTLS test: James 3.8.1's ManageSieve writes "OK" to STARTTLS before it adds its SslHandler (on its
    // executor group), so a client's ClientHello can reach the line framer first; its stock listener then fails the
    // same way (CommandInjectionDetectedException). Implicit TLS below has no such race.

    @Test
    void implicitTlsShouldWorkWhenTheHeaderAndTheClientHelloShareOneWrite() throws Exception {
        try (EngineTlsClient client = EngineTlsClient.connect(PROXY, tls, v1(CLIENT, 40000))) {
            String line = client.readLine();
            while (!line.startsWith("OK")) {
                line = client.readLine();
            }
            client.send(authenticatePlain().trim());
            assertThat(client.readLine()).startsWith("OK");
        }
    }

    @Test
    void acceptedConnectionsShouldBeCountedForManageSieve() throws Exception {
        long before = james.probe().metric("proxyProtocol.managesieve.accepted");
        try (SmtpClient client = SmtpClient.connect(PROXY, plain)) {
            client.send(v1(CLIENT, 40000));
            response(client);
        }
        assertThat(james.probe().metric("proxyProtocol.managesieve.accepted")).isEqualTo(before + 1);
    }
}
