package dev.jamesproxy.hardening;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.hardening.testing.LeakWatch;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;
import dev.jamesproxy.protocol.Command;
import dev.jamesproxy.protocol.HeaderWriter;
import dev.jamesproxy.protocol.TransportProtocol;

/**
 * Relay safety: the proxy (127.0.0.1) is in authorizedAddresses, as is 198.18.0.0/15; every other client is
 * public. Each row opens one session and asks to relay (RCPT to a remote domain). Only clients inside
 * authorizedAddresses, or authenticated ones, may relay: never a public client, whatever the header
 * kind, and never on the proxy's own rights (LOCAL, UNKNOWN, UNSPEC, UNIX headers keep the proxy's address).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelaySafetyMatrixTest {
    private static final String PROXY = "127.0.0.1";
    private static final String DIRECT = "127.0.0.2";
    private static final String PUBLIC = "203.0.113.7";
    private static final String AUTHORIZED = "198.18.0.5";

    private JamesHarness james;
    private LeakWatch leakWatch;
    private int proxied;
    private int tls;

    @BeforeAll
    void startJames() throws Exception {
        leakWatch = LeakWatch.open();
        String xml = new String(getClass().getResourceAsStream("/smtpserver-hardening.xml").readAllBytes(), StandardCharsets.UTF_8);
        james = JamesHarness.start(xml, null, JamesHarness.deliveryOnly());
        proxied = JamesHarness.port("hard-proxied");
        tls = JamesHarness.port("hard-tls");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
        if (leakWatch != null) {
            leakWatch.close();
        }
    }

    @AfterEach
    void noLeaks() throws Exception {
        LeakWatch.assertNoServerConnections(proxied, Duration.ofSeconds(10));
        LeakWatch.assertNoServerConnections(tls, Duration.ofSeconds(10));
    }

    /** What the client does before MAIL/RCPT. */
    enum Step {
        STARTTLS, RSET, AUTH, BAD_AUTH
    }

    /** One row: who connects, what header, on which listener, what steps, and whether relaying is expected. */
    static final class Row {
        final String peer;
        final byte[] header;
        final boolean implicitTls;
        final List<Step> steps;
        final String client;

        Row(String peer, byte[] header, boolean implicitTls, List<Step> steps, String client) {
            this.peer = peer;
            this.header = header;
            this.implicitTls = implicitTls;
            this.steps = steps;
            this.client = client;
        }
    }

    private static Arguments row(String name, boolean relays, String peer, byte[] header, String client, Step... steps) {
        return Arguments.of(name, relays, new Row(peer, header, false, List.of(steps), client));
    }

    private static Arguments tlsRow(String name, boolean relays, byte[] header, String client, Step... steps) {
        return Arguments.of(name, relays, new Row(PROXY, header, true, List.of(steps), client));
    }

    private static byte[] v1(String client) {
        return ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.25", 25);
    }

    private static byte[] v2(String client) {
        return ProxyHeaders.v2(client, 40000, "192.0.2.25", 25).build();
    }

    static Stream<Arguments> matrix() {
        byte[] v6 = ProxyHeaders.v1Tcp6("2001:db8::7", 40000, "2001:db8::25", 25);
        byte[] v2v6 = ProxyHeaders.v2("2001:db8::7", 40000, "2001:db8::25", 25).build();
        byte[] v2Tlvs = ProxyHeaders.v2(PUBLIC, 40000, "192.0.2.25", 25).tlv(0x05, ascii("id-1")).tlv(0x02, ascii("mx.example"))
            .crc32c().build();
        byte[] mappedPublic = ProxyHeaders.v2("::ffff:" + PUBLIC, 40000, "2001:db8::25", 25).build();
        byte[] mappedAuthorized = ProxyHeaders.v2("::ffff:" + AUTHORIZED, 40000, "2001:db8::25", 25).build();
        byte[] local = ProxyHeaders.v2Local().build();
        byte[] unknown = ProxyHeaders.v1Unknown();
        byte[] unknownWithRest = ascii("PROXY UNKNOWN " + AUTHORIZED + " 192.0.2.25 40000 25\r\n");
        byte[] unspec = HeaderWriter.v2(Command.PROXY).toBytes();
        byte[] unix = HeaderWriter.v2(Command.PROXY).unixPaths("", "").toBytes();
        byte[] dgram = HeaderWriter.v2(Command.PROXY).protocol(TransportProtocol.DGRAM)
            .addresses(new InetSocketAddress(PUBLIC, 40000), new InetSocketAddress("192.0.2.25", 25)).toBytes();
        List<Arguments> rows = new ArrayList<>(List.of(
            // public clients: never
            row("v1 TCP4 public", false, PROXY, v1(PUBLIC), PUBLIC),
            row("v1 TCP6 public", false, PROXY, v6, "2001:db8:0:0:0:0:0:7"),
            row("v2 TCP4 public", false, PROXY, v2(PUBLIC), PUBLIC),
            row("v2 TCP6 public", false, PROXY, v2v6, "2001:db8:0:0:0:0:0:7"),
            row("v2 TCP4 public with TLVs and CRC32C", false, PROXY, v2Tlvs, PUBLIC),
            row("v2 IPv4-mapped public", false, PROXY, mappedPublic, "0:0:0:0:0:ffff:cb00:7107"),
            row("v2 UDP4 public", false, PROXY, dgram, PUBLIC),
            row("v2 from another trusted proxy, public", false, "127.0.0.20", v2(PUBLIC), PUBLIC),
            // no client address: the proxy's address stays, its relaying rights do not pass on
            row("v2 LOCAL", false, PROXY, local, PROXY),
            row("v1 UNKNOWN", false, PROXY, unknown, PROXY),
            row("v1 UNKNOWN naming an authorized address", false, PROXY, unknownWithRest, PROXY),
            row("v2 PROXY UNSPEC", false, PROXY, unspec, PROXY),
            row("v2 PROXY UNIX", false, PROXY, unix, PROXY),
            row("direct peer", false, DIRECT, null, DIRECT),
            // after STARTTLS and RSET nothing changes
            row("v1 public after STARTTLS", false, PROXY, v1(PUBLIC), PUBLIC, Step.STARTTLS),
            row("v2 public after STARTTLS", false, PROXY, v2(PUBLIC), PUBLIC, Step.STARTTLS),
            row("v2 LOCAL after STARTTLS", false, PROXY, local, PROXY, Step.STARTTLS),
            row("v1 UNKNOWN after RSET", false, PROXY, unknown, PROXY, Step.RSET),
            row("v1 public after RSET", false, PROXY, v1(PUBLIC), PUBLIC, Step.RSET),
            row("v2 public after STARTTLS and RSET", false, PROXY, v2(PUBLIC), PUBLIC, Step.STARTTLS, Step.RSET),
            row("direct peer after STARTTLS", false, DIRECT, null, DIRECT, Step.STARTTLS),
            row("v1 public with a wrong password", false, PROXY, v1(PUBLIC), PUBLIC, Step.BAD_AUTH),
            tlsRow("implicit TLS, v2 public", false, v2(PUBLIC), PUBLIC),
            tlsRow("implicit TLS, v2 LOCAL", false, local, PROXY),
            tlsRow("implicit TLS, v1 UNKNOWN after RSET", false, unknown, PROXY, Step.RSET),
            // clients inside authorizedAddresses, and authenticated ones: yes
            row("v1 authorized client", true, PROXY, v1(AUTHORIZED), AUTHORIZED),
            row("v2 authorized client", true, PROXY, v2(AUTHORIZED), AUTHORIZED),
            row("v2 IPv4-mapped authorized client", true, PROXY, mappedAuthorized, "0:0:0:0:0:ffff:c612:5"),
            row("v1 authorized client after STARTTLS and RSET", true, PROXY, v1(AUTHORIZED), AUTHORIZED, Step.STARTTLS, Step.RSET),
            row("v1 public, authenticated", true, PROXY, v1(PUBLIC), PUBLIC, Step.AUTH),
            row("v2 public, STARTTLS then authenticated", true, PROXY, v2(PUBLIC), PUBLIC, Step.STARTTLS, Step.AUTH),
            row("v2 LOCAL, authenticated", true, PROXY, local, PROXY, Step.AUTH),
            row("direct peer, authenticated", true, DIRECT, null, DIRECT, Step.AUTH),
            tlsRow("implicit TLS, v2 authorized client", true, v2(AUTHORIZED), AUTHORIZED),
            tlsRow("implicit TLS, v2 public, authenticated", true, v2(PUBLIC), PUBLIC, Step.AUTH)));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: relay={1}")
    @MethodSource("matrix")
    void relayOnlyForAuthorizedOrAuthenticatedClients(String name, boolean relays, Row row) throws Exception {
        try (SmtpClient client = SmtpClient.connect(row.peer, row.implicitTls ? tls : proxied)) {
            if (row.header != null) {
                client.send(row.header);
            }
            if (row.implicitTls) {
                client.startTls();
            }
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250").contains("[" + row.client + "]");
            for (Step step : row.steps) {
                switch (step) {
                    case STARTTLS:
                        assertThat(client.command("STARTTLS")).startsWith("220");
                        client.startTls();
                        assertThat(client.command("EHLO client.example")).contains("[" + row.client + "]");
                        break;
                    case RSET:
                        assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
                        assertThat(client.command("RSET")).startsWith("250");
                        break;
                    case AUTH:
                        assertThat(client.command("AUTH PLAIN " + plain(JamesHarness.USER, "secret"))).startsWith("235");
                        break;
                    case BAD_AUTH:
                        assertThat(client.command("AUTH PLAIN " + plain(JamesHarness.USER, "wrong"))).startsWith("535");
                        break;
                    default:
                        throw new IllegalStateException(step.name());
                }
            }
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");

            String answer = client.command("RCPT TO:<someone@elsewhere.example>");

            if (relays) {
                assertThat(answer).as(name).startsWith("250");
            } else {
                // 530 when AUTH is announced to this address, 550 when it is not (the proxy's own address)
                assertThat(answer).as(name).matches("5[35]0 .*");
            }
            assertThat(client.command("RCPT TO:<" + JamesHarness.USER + ">")).as("local delivery still works").startsWith("250");
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
