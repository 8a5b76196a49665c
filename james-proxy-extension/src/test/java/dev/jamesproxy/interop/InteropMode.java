package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.CLIENT;
import static dev.jamesproxy.interop.InteropJames.PROXY;
import static dev.jamesproxy.interop.InteropJames.RECIPIENT;
import static dev.jamesproxy.interop.InteropJames.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.interop.InteropJames.Delivery;

/**
 * One way of reaching James (a proxy, or none), run as a nested class of {@link InteropIT} so that every mode
 * shares one James. Child processes run with their configuration and log in {@link #directory}, which is kept
 * (and printed) when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InteropMode {
    /** This mode's directory: generated configurations and the child processes' logs. */
    Path directory;

    private final List<ExternalProcess> processes = new ArrayList<>();
    private volatile boolean failed;

    /** What one swaks run sent. */
    static final class Sent {
        final String subject;
        final int clientPort;
        final Swaks.Result swaks;

        Sent(String subject, int clientPort, Swaks.Result swaks) {
            this.subject = subject;
            this.clientPort = clientPort;
            this.swaks = swaks;
        }
    }

    static InteropJames james() {
        return InteropIT.james();
    }

    /** HAProxy running one of the repository's configuration files, and its statistics. */
    static final class RunningHaproxy {
        final ExternalProcess process;
        final HaproxyStats stats;

        RunningHaproxy(ExternalProcess process, HaproxyStats stats) {
            this.process = process;
            this.stats = stats;
        }
    }

    /**
     * Runs HAProxy on {@code conf/<configuration>} as is, its addresses in {@code environment}, and waits until it
     * listens on every one of {@code frontends}.
     */
    RunningHaproxy runHaproxy(String name, String configuration, Map<String, String> environment, int... frontends) {
        String binary = Binaries.require("haproxy", "haproxy").toString();
        int master = FreePorts.on("127.0.0.1");
        // -W -S: the master CLI on a loopback port, for 'show stat'; -db: foreground, log to stderr (the log file).
        ExternalProcess process = start(name, List.of(binary, "-W", "-S", "ipv4@127.0.0.1:" + master,
            "-f", InteropJames.CONF.resolve(configuration).toString(), "-db"), environment);
        for (int port : frontends) {
            process.awaitListening(port, Duration.ofSeconds(15));
        }
        return new RunningHaproxy(process, new HaproxyStats(master));
    }

    ExternalProcess start(String name, List<String> command, Map<String, String> environment) {
        ExternalProcess process = ChildLogs.register(ExternalProcess.start(name, command, environment, directory));
        processes.add(process);
        return process;
    }

    @BeforeAll
    void createDirectory() throws IOException {
        directory = Files.createTempDirectory("james-proxy-interop-" + getClass().getSimpleName().toLowerCase(Locale.ROOT));
    }

    @AfterAll
    void stopProcesses() throws IOException {
        for (ExternalProcess process : processes) {
            process.close();
            ChildLogs.unregister(process);
        }
        if (failed) {
            System.err.println("Interop logs and configurations kept in " + directory);
        } else if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Called by {@link ChildLogs} when a test of this mode fails: its directory is kept. */
    void markFailed() {
        failed = true;
    }

    /** Sends one mail with swaks from 127.0.0.5 and a source port chosen here, so the test knows both. */
    Sent send(String mode, int port, String... swaksOptions) {
        String subject = mode + "-" + System.nanoTime();
        int clientPort = FreePorts.on(CLIENT);
        Swaks.Result result = Swaks.send("127.0.0.1", port, CLIENT + ":" + clientPort, SENDER, RECIPIENT, subject,
            swaksOptions);
        assertThat(result.exitCode).as("swaks should deliver:\n%s", result).isZero();
        return new Sent(subject, clientPort, result);
    }

    /**
     * The client's TLS ended at James (STARTTLS, or implicit TLS passed through by the proxy): swaks started TLS and
     * then read James's SMTP replies through it ({@code <~}). James 3.8.1's {@code Received:} header says
     * {@code ESMTP} either way, so the transcript is the evidence.
     */
    static void assertTlsWithJames(Sent sent) {
        assertThat(sent.swaks.transcript).as(sent.swaks.toString())
            .contains("TLS started with cipher")
            .containsPattern("<~  250 [^\\n]*Message received");
    }

    /**
     * The mail arrived, and everything James and the hooks saw names the client (127.0.0.5 and its port), never the
     * proxy (127.0.0.1), which only appears as the proxy hop.
     */
    Delivery assertDeliveredFromTheClient(Sent sent, int version) throws Exception {
        Delivery delivery = james().delivered(sent.subject);
        String described = sent.swaks + "\n" + delivery;
        assertThat(sent.swaks.transcript).as("James's EHLO reply names the client: %s", described)
            .containsPattern("250[ -][^\\n]* Hello client\\.example \\[" + CLIENT.replace(".", "\\.") + "\\]");
        assertThat(delivery.received).as(described)
            .contains("([" + CLIENT + "])")
            .contains("(via PROXY v" + version + " from [" + PROXY + "])");
        assertThat(delivery.received.substring(0, delivery.received.indexOf("(via PROXY"))).as(described)
            .doesNotContain(PROXY);
        assertThat(delivery.mail.getRemoteAddr()).as(described).isEqualTo(CLIENT);
        assertThat(delivery.attribute(MailAttributes.CLIENT_ADDRESS)).as(described).isEqualTo(CLIENT);
        assertThat(delivery.attribute(MailAttributes.CLIENT_PORT)).as(described).isEqualTo(sent.clientPort);
        assertThat(delivery.attribute(MailAttributes.PROXY_ADDRESS)).as(described).isEqualTo(PROXY);
        assertThat(delivery.attribute(MailAttributes.DIRECT)).as(described).isEqualTo(false);
        assertThat(delivery.attribute(MailAttributes.VERSION)).as(described).isEqualTo(version);
        assertThat(delivery.attribute(MailAttributes.COMMAND)).as(described).isEqualTo("PROXY");
        System.out.println("[" + sent.subject + "] client " + CLIENT + ":" + sent.clientPort + "\n" + delivery);
        return delivery;
    }
}
