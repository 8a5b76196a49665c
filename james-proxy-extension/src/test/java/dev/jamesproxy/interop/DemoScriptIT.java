package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jamesproxy.dns.testing.NameErrorDnsServer;

/**
 * The README's first command, {@code ./demo/run.sh}, for real: it prepares a James working directory, resolves
 * James's classpath with Maven and {@code exec}s a James memory server in its own JVM with the jar in
 * {@code extensions-jars/}. The test waits for its "ready" line, sends the {@code probe} and swaks lines it prints,
 * then interrupts it as Ctrl-C would (SIGINT to the JVM) and checks that the listeners stopped.
 * The jar is the one {@code package} built ({@code DEMO_SKIP_BUILD=true}); ports are moved by {@code DEMO_PORT_OFFSET}.
 */
@Timeout(300)
class DemoScriptIT {
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    private static final int[] DEMO_PORTS = {2525, 2465, 2587, 2526, 2025, 8000, 1143, 1993, 1144, 1110, 1995, 1024, 14190};

    private Process demo;
    private Path directory;

    @AfterEach
    void stopDemo() throws Exception {
        if (demo != null && demo.isAlive()) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void demoShouldStartJamesWithTheJarServeWhatItPrintsAndStopOnInterrupt() throws Exception {
        Binaries.require("mvn", "maven");
        Path swaks = Binaries.require("swaks", "swaks");
        directory = Files.createTempDirectory("james-proxy-demo");
        int offset = freeOffset();
        Path output = directory.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("demo").resolve("run.sh").toString())
            .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("DEMO_SKIP_BUILD", "true");
        NameErrorDnsServer.ensureStarted();
        builder.environment().put("DEMO_DNS_SERVER", NameErrorDnsServer.ADDRESS);
        builder.environment().put("DEMO_PORT_OFFSET", String.valueOf(offset));
        builder.environment().put("DEMO_WORKDIR", directory.resolve("james").toString());
        demo = builder.start();

        String log = awaitOutput(output, "[demo] ready", Duration.ofSeconds(240));
        int smtp = 2525 + offset;
        assertThat(log).as(log).contains("probe --host 127.0.0.1 --port " + smtp).contains("swaks --server 127.0.0.1:" + smtp);
        try (Stream<Path> jars = Files.list(directory.resolve("james").resolve("extensions-jars"))) {
            assertThat(jars).as("the jar in extensions-jars/").containsExactly(
                directory.resolve("james").resolve("extensions-jars").resolve(jar().getFileName()));
        }

        String probe = run(List.of("java", "-jar", jar().toString(), "probe", "--host", "127.0.0.1", "--port",
            String.valueOf(smtp), "--v2", "--src", "203.0.113.7:40000", "--dst", "127.0.0.1:25", "--crc32c"));
        assertThat(probe).as(probe).contains("Hello probe.invalid [203.0.113.7]");

        String mail = run(List.of(swaks.toString(), "--server", "127.0.0.1:" + smtp, "--to", "bob@example.test",
            "--proxy-family", "TCP4", "--proxy-source", "203.0.113.9", "--proxy-source-port", "40000",
            "--proxy-dest", "127.0.0.1", "--proxy-dest-port", "25"));
        assertThat(mail).as(mail).contains("[203.0.113.9]").contains("250 2.6.0 Message received");
        awaitOutput(output, "on 203.0.113.9/203.0.113.9 for [bob@example.test]", Duration.ofSeconds(15));

        // The IMAP and POP3 commands the demo prints, as printed: curl writes a v1 header, then STARTTLS / STLS.
        assertThat(log).contains("curl --haproxy-protocol --ssl-reqd -k -u bob@example.test:secret 'imap://127.0.0.1:"
            + (1143 + offset) + "/INBOX?ALL'");
        String imap = run(List.of("curl", "-sS", "--max-time", "20", "--haproxy-protocol", "--ssl-reqd", "-k", "-u",
            "bob@example.test:secret", "imap://127.0.0.1:" + (1143 + offset) + "/INBOX?ALL"));
        assertThat(imap).as(imap).contains("* SEARCH");
        String pop3 = run(List.of("curl", "-sS", "--max-time", "20", "--haproxy-protocol", "--ssl-reqd", "-k", "-u",
            "bob@example.test:secret", "pop3://127.0.0.1:" + (1110 + offset) + "/"));
        assertThat(pop3).as(pop3).containsPattern("\n1 [0-9]+");

        String signal = interrupt(demo.pid());
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("James exits after %s:\n%s", signal, read(output)).isTrue();
        log = read(output);
        assertThat(log).as(log).contains("JAMES server stopped")
            .contains("PROXY protocol SMTP listener 'proxiedsmtpserver-smtp' on [/127.0.0.1:" + smtp + "] stopped")
            .contains("PROXY protocol IMAP listener 'proxiedimapserver-imap' on [/127.0.0.1:" + (1143 + offset) + "] stopped");
        assertThat(demo.exitValue()).as(log).isEqualTo(signal.equals("INT") ? 130 : 143);
        for (int port : DEMO_PORTS) {
            assertThat(isListening(port + offset)).as("port %d after the stop", port + offset).isFalse();
        }
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does. A JVM started with SIGINT ignored (a CI runner that started Maven
     * in the background passes that on) cannot receive it; it then gets SIGTERM, which runs the same shutdown hook.
     */
    private static String interrupt(long pid) throws Exception {
        Path status = Paths.get("/proc", String.valueOf(pid), "status");
        String signal = "INT";
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("SigIgn:") && (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0) {
                    System.err.println("DemoScriptIT: SIGINT is ignored by this environment; sending SIGTERM instead");
                    signal = "TERM";
                }
            }
        }
        run(List.of("kill", "-" + signal, String.valueOf(pid)));
        return signal;
    }

    private static Path jar() {
        return Paths.get(System.getProperty("extension.jar", "target/james-proxy-extension.jar")).toAbsolutePath();
    }

    private String awaitOutput(Path output, String text, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String log = read(output);
            if (log.contains(text)) {
                return log;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("demo/run.sh exited with " + demo.exitValue() + " before '" + text + "':\n" + log);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' from demo/run.sh within " + wait + ":\n" + log);
            }
            Thread.sleep(200);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }

    private static String run(List<String> command) throws Exception {
        Path out = Files.createTempFile("demo-client", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return "$ " + String.join(" ", command) + "\n" + read(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** An offset that puts every demo port on a free loopback port. */
    private static int freeOffset() {
        Random random = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 20000 + random.nextInt(20000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int port : DEMO_PORTS) {
                    held.add(new ServerSocket(port + offset, 1, InetAddress.getLoopbackAddress()));
                }
                return offset;
            } catch (IOException taken) {
                // try another offset
            } finally {
                for (ServerSocket socket : held) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
        throw new IllegalStateException("no free set of demo ports");
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
