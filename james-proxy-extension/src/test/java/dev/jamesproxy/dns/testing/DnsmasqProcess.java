package dev.jamesproxy.dns.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One dnsmasq child process, run under {@code timeout(1)} so that it dies by itself after its maximum lifetime
 * even when the JVM is killed; its output goes to a temporary file. (The interop tests' {@code ExternalProcess} and
 * {@code Binaries} are package-private there and wait for TCP ports; this is the same idea for one UDP server.)
 */
final class DnsmasqProcess implements AutoCloseable {
    private static final String[] SYSTEM_DIRECTORIES = {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin",
        "/usr/local/bin"};

    private final Process process;
    private final Path log;
    private final Thread shutdownHook;
    private String finalOutput;

    private DnsmasqProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "dnsmasq-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The dnsmasq binary, or the test stops: fails when {@code JAMES_PROXY_REQUIRE_BINARIES=true}, skips elsewhere. */
    static Path requireBinary() {
        return find("dnsmasq").orElseGet(() -> {
            stopTest("'dnsmasq' is not installed: apt-get install -y dnsmasq-base");
            throw new IllegalStateException("unreachable");
        });
    }

    /** Fails the test in CI ({@code JAMES_PROXY_REQUIRE_BINARIES=true}), skips it loudly elsewhere. */
    static void stopTest(String message) {
        if (Boolean.parseBoolean(System.getenv("JAMES_PROXY_REQUIRE_BINARIES"))) {
            Assertions.fail(message + " (JAMES_PROXY_REQUIRE_BINARIES=true: the DNS tests must run)");
        }
        System.err.println("!!! SKIPPING DNS TEST: " + message + " !!!");
        Assumptions.abort(message);
    }

    static DnsmasqProcess start(Path dnsmasq, List<String> arguments, Duration maxLifetime) {
        Path timeout = find("timeout").orElseThrow(() -> new IllegalStateException("coreutils' timeout is missing"));
        List<String> command = new ArrayList<>(List.of(timeout.toString(), "--kill-after=5",
            Math.max(1, maxLifetime.toSeconds()) + "s", dnsmasq.toString()));
        command.addAll(arguments);
        try {
            Path log = Files.createTempFile("dnsmasq-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new DnsmasqProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What dnsmasq printed so far (after {@link #close}: all it printed). */
    synchronized String output() {
        if (finalOutput != null) {
            return finalOutput;
        }
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (finalOutput != null) {
            return;
        }
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        finalOutput = output();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            finalOutput += "\n(cannot delete " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to timeout(1), which passes it on to dnsmasq; SIGKILL to both after 10 s. */
    private void stop() {
        List<ProcessHandle> children = new ArrayList<>();
        process.descendants().forEach(children::add);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : (path + File.pathSeparator + String.join(File.pathSeparator, SYSTEM_DIRECTORIES))
            .split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Paths.get(directory, name))) {
                return Optional.of(Paths.get(directory, name));
            }
        }
        return Optional.empty();
    }
}
