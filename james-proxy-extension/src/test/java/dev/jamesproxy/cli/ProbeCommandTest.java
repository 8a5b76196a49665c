package dev.jamesproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.Crc32cStatus;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.ProxyHeaderParser;
import dev.jamesproxy.protocol.TlvType;

/** {@code probe} against a small loopback server that reads the header with our parser. */
class ProbeCommandTest {
    private ServerSocket server;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void listen() throws Exception {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    /** Accepts one connection, parses the header, then greets (or closes) and answers every line. */
    private CompletableFuture<ParseResult> serveOnce(boolean greet) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[4096];
                int length = 0;
                ParseResult result;
                do {
                    int read = in.read(buf, length, buf.length - length);
                    if (read < 0) {
                        return new ProxyHeaderParser().parseFinal(buf, 0, length);
                    }
                    length += read;
                    result = new ProxyHeaderParser().parse(buf, 0, length);
                } while (result.isIncomplete());
                if (!greet || !result.isComplete()) {
                    return result;
                }
                OutputStream out = socket.getOutputStream();
                out.write("220 test ready\r\n".getBytes(StandardCharsets.US_ASCII));
                for (String reply : new String[] {"250-test\r\n250 PIPELINING\r\n", "221 bye\r\n"}) {
                    while (in.read() != '\n') {
                        // skip the command line
                    }
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                }
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private int probe(String... args) throws Exception {
        ProbeCommand probe = new ProbeCommand(new PrintStream(output, true, StandardCharsets.UTF_8));
        String[] all = Arrays.copyOf(new String[] {"--host", "127.0.0.1", "--port", String.valueOf(server.getLocalPort())},
            4 + args.length);
        System.arraycopy(args, 0, all, 4, args.length);
        assertThat(probe.configure(all)).isEmpty();
        return probe.run();
    }

    @Test
    void probeShouldSendAV2HeaderWithTlvsAndAChecksumThenTalkSmtp() throws Exception {
        CompletableFuture<ParseResult> received = serveOnce(true);

        int exit = probe("--v2", "--src", "203.0.113.7:40000", "--dst", "[2001:db8::25]:25", "--tlv", "0x05=6964",
            "--crc32c");

        ProxyData data = received.get(10, TimeUnit.SECONDS).proxyData().orElseThrow();
        assertThat(exit).isZero();
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo("::ffff:cb00:7107");
        assertThat(data.destinationPort().getAsInt()).isEqualTo(25);
        assertThat(data.firstTlv(TlvType.UNIQUE_ID).orElseThrow().valueAsString()).isEqualTo("id");
        assertThat(data.crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("< 220 test ready", "> EHLO probe.invalid",
            "< 250 PIPELINING", "< 221 bye");
    }

    @Test
    void probeShouldSendV1Lines() throws Exception {
        CompletableFuture<ParseResult> received = serveOnce(true);

        assertThat(probe("--v1", "--src", "192.0.2.1:1234", "--dst", "192.0.2.2:25")).isZero();

        assertThat(received.get(10, TimeUnit.SECONDS).proxyData().orElseThrow().wholeRaw())
            .isEqualTo("PROXY TCP4 192.0.2.1 192.0.2.2 1234 25\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void probeShouldSendHealthCheckHeaders() throws Exception {
        CompletableFuture<ParseResult> received = serveOnce(true);
        assertThat(probe("--v2", "--local")).isZero();
        assertThat(received.get(10, TimeUnit.SECONDS).proxyData().orElseThrow().isLocal()).isTrue();

        CompletableFuture<ParseResult> unknown = serveOnce(true);
        assertThat(probe("--v1", "--unknown")).isZero();
        assertThat(unknown.get(10, TimeUnit.SECONDS).proxyData().orElseThrow().isUnknown()).isTrue();
    }

    @Test
    void probeShouldReportACloseWithoutReply() throws Exception {
        CompletableFuture<ParseResult> received = serveOnce(false);

        int exit = probe("--raw", "48454c4f20780d0a");

        assertThat(received.get(10, TimeUnit.SECONDS).isInvalid()).isTrue();
        assertThat(exit).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).containsPattern("connection (closed|reset) by the server after \\d+ ms");
    }

    @Test
    void badOptionsShouldBeExplained() {
        ProbeCommand probe = new ProbeCommand(new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(probe.configure(new String[] {"--host", "h"})).hasValueSatisfying(m -> assertThat(m).contains("--port"));
        assertThat(new ProbeCommand(System.out).configure(new String[] {"--host", "h", "--port", "25"}))
            .hasValueSatisfying(m -> assertThat(m).contains("--src"));
        assertThat(new ProbeCommand(System.out).configure(new String[] {"--host", "h", "--port", "25", "--src", "example.com:1",
            "--dst", "1.2.3.4:25"})).hasValueSatisfying(m -> assertThat(m).contains("not an IP literal"));
        assertThat(new ProbeCommand(System.out).configure(new String[] {"--host", "h", "--port", "25", "--local", "--tlv", "5"}))
            .hasValueSatisfying(m -> assertThat(m).contains("TYPE=HEX"));
    }
}
