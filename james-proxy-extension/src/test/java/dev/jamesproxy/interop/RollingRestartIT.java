package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.CONF;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.jamesproxy.interop.RetryingSmtpLoad.Transaction;

/**
 * Two real James nodes (memory application, each in its own JVM with the packaged jar in {@code extensions-jars/}
 * only) behind one real HAProxy running the repository's {@code conf/haproxy-two-nodes.cfg} as is (its health checks:
 * {@code check-send-proxy}, a v2 LOCAL header, then {@code option smtpchk}'s EHLO), plus an admin socket for the
 * runtime API. A few clients send mail through HAProxy's SMTP frontend all along, retrying what fails before its
 * {@code 250}. Then, in order:
 * <ol>
 *   <li>a rolling restart, the procedure of docs/operations-rolling-restart.md: each node in turn is drained in HAProxy,
 *   its sessions and spool allowed to empty, put in maintenance, stopped with SIGTERM, started, and put back;</li>
 *   <li>a node stopped with SIGTERM without draining it first (what a bare {@code docker stop} does), then started
 *   again: the listener's graceful stop alone;</li>
 *   <li>a node killed with SIGKILL under load.</li>
 * </ol>
 * Every mail the mailet container receives is counted in its node's file repository. Goals: no mail that got
 * {@code 250} lost, none stored twice, every transaction accepted in the end (retries counted); after SIGKILL, nothing
 * that got {@code 250} from the node that stays up is lost. The figures go to stdout and
 * {@code target/rolling-restart-figures.txt}; {@code -Drolling.restart.rounds=N} repeats the rolling restart N times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(RollingRestartIT.KeepLogsOnFailure.class)
@Timeout(900)
class RollingRestartIT {
    private static final Path FIGURES = Paths.get("target", "rolling-restart-figures.txt");
    private static final int CLIENTS = 4;
    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final Duration DATA_PAUSE = Duration.ofMillis(300);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Pattern DRAIN_LINE = Pattern.compile("listener 'proxiedsmtpserver-smtp' stopped accepting connections: (.*)");

    private Path directory;
    private JamesNode james1;
    private JamesNode james2;
    private ExternalProcess haproxy;
    private HaproxyRuntime runtime;
    private int frontend;
    private static volatile boolean failed;

    @BeforeAll
    void startTwoNodesBehindHaproxy() throws Exception {
        String binary = Binaries.require("haproxy", "haproxy").toString();
        Path jar = Paths.get(System.getProperty("extension.jar", "target/james-proxy-extension.jar"));
        assertThat(jar).as("the packaged jar (run through 'mvn verify', after 'package')").exists();
        directory = Files.createTempDirectory("rolling-restart");
        JamesNode.Ports ports = new JamesNode.Ports(List.of("127.0.0.21", "127.0.0.22"));
        james1 = JamesNode.prepare("james1", "127.0.0.21", ports, jar, directory);
        james2 = JamesNode.prepare("james2", "127.0.0.22", ports, jar, directory);
        james1.start();
        james2.start();
        Duration ready1 = james1.awaitReady(Duration.ofMinutes(3));
        Duration ready2 = james2.awaitReady(Duration.ofMinutes(3));
        record("setup", "both nodes started side by side: james1 ready in " + ready1.toMillis() + " ms, james2 in "
            + ready2.toMillis() + " ms");

        frontend = FreePorts.on("127.0.0.1");
        int admin = FreePorts.on("127.0.0.1");
        Path adminConfig = directory.resolve("haproxy-admin.cfg");
        Files.writeString(adminConfig, "# The runtime API for RollingRestartIT (an operator uses a UNIX socket, see"
            + " docs/operations-rolling-restart.md)\nglobal\n    stats socket ipv4@127.0.0.1:" + admin + " level admin\n");
        Map<String, String> environment = Map.ofEntries(
            Map.entry("SMTP_BIND", "127.0.0.1:" + frontend),
            Map.entry("SMTPS_BIND", "127.0.0.1:" + FreePorts.on("127.0.0.1")),
            Map.entry("SUBMISSION_BIND", "127.0.0.1:" + FreePorts.on("127.0.0.1")),
            Map.entry("SMTPS_TERMINATED_BIND", "127.0.0.1:" + FreePorts.on("127.0.0.1")),
            Map.entry("JAMES1_HOST", james1.address),
            Map.entry("JAMES2_HOST", james2.address),
            Map.entry("JAMES_SMTP_PORT", String.valueOf(ports.smtp)),
            Map.entry("JAMES_SMTPS_PORT", String.valueOf(ports.smtps)),
            Map.entry("JAMES_SUBMISSION_PORT", String.valueOf(ports.submission)),
            Map.entry("JAMES_TERMINATED_PORT", String.valueOf(ports.terminated)),
            Map.entry("TLS_PEM", CONF.resolve("tls").resolve("haproxy.pem").toString()),
            Map.entry("CLIENT_CA", CONF.resolve("tls").resolve("ca.crt").toString()));
        haproxy = ExternalProcess.start("haproxy", List.of(binary, "-f", CONF.resolve("haproxy-two-nodes.cfg").toString(),
            "-f", adminConfig.toString(), "-db"), environment, directory);
        haproxy.awaitListening(frontend, Duration.ofSeconds(15)).awaitListening(admin, Duration.ofSeconds(15));
        runtime = new HaproxyRuntime(admin);
        runtime.awaitStatus("james1", "UP", Duration.ofSeconds(30));
        runtime.awaitStatus("james2", "UP", Duration.ofSeconds(30));
        for (String backend : List.of("james_smtp", "james_submission")) {
            awaitCheck(backend, "L7OK");
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        for (JamesNode node : new JamesNode[] {james1, james2}) {
            if (node != null) {
                node.close();
            }
        }
        if (directory != null && !failed) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } else if (directory != null) {
            System.err.println("RollingRestartIT: nodes' logs and stores kept in " + directory);
        }
    }

    @Test
    @Order(1)
    void rollingRestartThroughHaproxysRuntimeApiShouldLoseNothingAndShowClientsNothingUnretried() throws Exception {
        int rounds = Integer.getInteger("rolling.restart.rounds", 1);
        long start = System.nanoTime();
        RetryingSmtpLoad load = RetryingSmtpLoad.start(frontend, "rolling", CLIENTS, PAUSE, DATA_PAUSE);
        Thread.sleep(SETTLE.toMillis());
        List<String> steps = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            steps.add(drainedRestart(james1));
            steps.add(drainedRestart(james2));
        }
        Thread.sleep(SETTLE.toMillis());
        List<Transaction> transactions = load.stop();

        Verdict verdict = verdict(transactions, List.of(james1, james2));
        record("rolling restart", rounds + " round(s) in " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
            + " s; " + String.join("; ", steps) + "; " + verdict);
        verdict.assertNothingLostOrDuplicated();
        verdict.assertEveryTransactionAccepted();
        assertThat(verdict.perNode).as("both nodes took mail").containsKeys("james1", "james2");
    }

    @Test
    @Order(2)
    void sigtermWithoutDrainingShouldLoseNothingAndEveryTransactionBeAcceptedOnRetry() throws Exception {
        RetryingSmtpLoad load = RetryingSmtpLoad.start(frontend, "undrained", CLIENTS, PAUSE, DATA_PAUSE);
        Thread.sleep(SETTLE.toMillis());
        int before = load.finished();
        Duration stopped = james2.stop();
        Duration down = runtime.awaitStatus("james2", "DOWN", Duration.ofSeconds(30));
        james2.start();
        Duration ready = james2.awaitReady(Duration.ofMinutes(3));
        Duration up = runtime.awaitStatus("james2", "UP", Duration.ofSeconds(30));
        Thread.sleep(SETTLE.toMillis());
        List<Transaction> transactions = load.stop();

        Verdict verdict = verdict(transactions, List.of(james1, james2));
        record("SIGTERM without drain", "james2 stopped in " + stopped.toMillis() + " ms (its SMTP listener: "
            + lastDrainLine(james2) + "), DOWN in HAProxy " + down.toMillis() + " ms later, ready again in "
            + ready.toMillis() + " ms, UP " + up.toMillis() + " ms after that; " + before
            + " transactions before the stop; " + verdict);
        verdict.assertNothingLostOrDuplicated();
        verdict.assertEveryTransactionAccepted();
    }

    @Test
    @Order(3)
    void killMinus9ShouldLoseNothingThatTheNodeThatStaysUpAccepted() throws Exception {
        RetryingSmtpLoad load = RetryingSmtpLoad.start(frontend, "killed", CLIENTS, PAUSE, DATA_PAUSE);
        Thread.sleep(SETTLE.toMillis());
        james1.kill();
        long killed = System.nanoTime();
        Duration down = runtime.awaitStatus("james1", "DOWN", Duration.ofSeconds(30));
        Thread.sleep(SETTLE.toMillis());
        List<Transaction> transactions = load.stop();
        Duration underLoad = Duration.ofNanos(System.nanoTime() - killed);

        Verdict survivor = verdict(transactions.stream().filter(t -> !"james1".equals(t.acceptedBy))
            .collect(Collectors.toList()), List.of(james2));
        Verdict all = verdict(transactions, List.of(james1, james2));
        record("kill -9", "james1 killed; DOWN in HAProxy " + down.toMillis() + " ms later; load went on for "
            + underLoad.toMillis() + " ms; " + all + "; of the mails james2 accepted: " + survivor.lost.size()
            + " lost, " + survivor.duplicated.size() + " stored twice");
        assertThat(survivor.lost).as("mails that got 250 from the node that stayed up, not in its store").isEmpty();
        assertThat(survivor.duplicated).as("mails stored twice by the node that stayed up").isEmpty();
        survivor.assertEveryTransactionAccepted();
    }

    /** The procedure of docs/operations-rolling-restart.md, for one node; returns its figures. */
    private String drainedRestart(JamesNode node) throws Exception {
        runtime.setState(node.name, "drain");
        Duration drained = runtime.awaitNoSessions(node.name, Duration.ofSeconds(60));
        Duration spool = awaitEmptySpool(node, Duration.ofSeconds(60));
        runtime.setState(node.name, "maint");
        Duration stopped = node.stop();
        node.start();
        Duration ready = node.awaitReady(Duration.ofMinutes(3));
        runtime.setState(node.name, "ready");
        Duration up = runtime.awaitStatus(node.name, "UP", Duration.ofSeconds(30));
        Thread.sleep(SETTLE.toMillis());
        return node.name + ": sessions ended " + drained.toMillis() + " ms after 'drain', spool empty "
            + spool.toMillis() + " ms later, stopped in " + stopped.toMillis() + " ms (" + lastDrainLine(node)
            + "), ready in " + ready.toMillis() + " ms, UP " + up.toMillis() + " ms after 'ready'";
    }

    private static Duration awaitEmptySpool(JamesNode node, Duration timeout) throws Exception {
        long start = System.nanoTime();
        while (node.spoolSize() > 0) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError(node.name + "'s spool still holds " + node.spoolSize() + " mails");
            }
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void awaitCheck(String backend, String check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String server : List.of("james1", "james2")) {
            while (!runtime.server(backend, server).map(HaproxyStats::lastCheck).filter(check::equals).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(backend + "/" + server + " never " + check + ": " + runtime.showStat());
                }
                Thread.sleep(200);
            }
        }
    }

    /** What the SMTP listener logged when it stopped last (ListenerShutdown's line). */
    private static String lastDrainLine(JamesNode node) {
        Matcher matcher = DRAIN_LINE.matcher(node.log());
        String last = "no drain line";
        while (matcher.find()) {
            last = matcher.group(1);
        }
        return last;
    }

    /** Waits until every accepted transaction is in a store (30 s at most), then compares. */
    private static Verdict verdict(List<Transaction> transactions, List<JamesNode> stores) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Verdict verdict = new Verdict(transactions, stores);
            if (verdict.lost.isEmpty() || System.nanoTime() > deadline) {
                return verdict;
            }
            Thread.sleep(500);
        }
    }

    private static void record(String scenario, String figures) throws IOException {
        String line = Instant.now() + " " + scenario + ": " + figures;
        System.out.println("ROLLING-RESTART " + line);
        Files.createDirectories(FIGURES.getParent());
        Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }

    /** The transactions the clients made, against what the nodes stored. */
    private static final class Verdict {
        final List<Transaction> transactions;
        final List<String> lost = new ArrayList<>();
        final List<String> duplicated = new ArrayList<>();
        final List<String> unaccepted = new ArrayList<>();
        final Map<String, Long> perNode;
        final Map<String, Long> failures;
        final Map<String, Long> quitReplies;
        final int retries;
        final long retried;

        Verdict(List<Transaction> transactions, List<JamesNode> stores) throws IOException {
            this.transactions = transactions;
            Map<String, Integer> stored = new HashMap<>();
            for (JamesNode node : stores) {
                node.storedSubjects().forEach((subject, count) -> stored.merge(subject, count, Integer::sum));
            }
            for (Transaction transaction : transactions) {
                int copies = stored.getOrDefault(transaction.id, 0);
                if (transaction.accepted() && copies == 0) {
                    lost.add(transaction.id + " (250 from " + transaction.acceptedBy + ")");
                }
                if (copies > 1) {
                    duplicated.add(transaction.id + " x" + copies + " " + transaction.failures);
                }
                if (!transaction.accepted()) {
                    unaccepted.add(transaction.id + " " + transaction.failures);
                }
            }
            List<Transaction> accepted = transactions.stream().filter(Transaction::accepted).collect(Collectors.toList());
            this.perNode = RetryingSmtpLoad.count(accepted, t -> t.acceptedBy);
            List<String> failed = transactions.stream().flatMap(t -> t.failures.stream()).collect(Collectors.toList());
            this.failures = RetryingSmtpLoad.count(failed, f -> f);
            this.quitReplies = RetryingSmtpLoad.count(accepted, t -> String.valueOf(t.quitReply));
            this.retries = failed.size();
            this.retried = transactions.stream().filter(t -> !t.failures.isEmpty()).count();
        }

        void assertNothingLostOrDuplicated() {
            assertThat(lost).as("mails that got 250 after DATA but are in no node's store").isEmpty();
            assertThat(duplicated).as("mails stored more than once").isEmpty();
        }

        void assertEveryTransactionAccepted() {
            assertThat(unaccepted).as("transactions still failing after every retry").isEmpty();
        }

        @Override
        public String toString() {
            return transactions.size() + " transactions, accepted by " + perNode + ", " + lost.size() + " lost, "
                + duplicated.size() + " duplicated, " + unaccepted.size() + " never accepted; " + retried
                + " needed retries (" + retries + " retries in all), failures seen by clients: " + failures
                + "; replies to QUIT after the 250: " + quitReplies;
        }
    }

    /** Keeps the nodes' working directories (logs, stores) when a test fails, and says where they are. */
    static final class KeepLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    }
}
