package dev.jamesproxy.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real proxies and clients the interop tests drive. In CI ({@code JAMES_PROXY_REQUIRE_BINARIES=true},
 * set by {@code .ci/run}) a missing binary fails the test; elsewhere the test is skipped with a loud message.
 */
final class Binaries {
    private static final String[] SYSTEM_DIRECTORIES = {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin",
        "/usr/local/bin"};

    private Binaries() {
    }

    /** The path of an executable, or the test stops (failed in CI, skipped elsewhere). */
    static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        stop("'" + name + "' is not installed: apt-get install -y " + debianPackage);
        throw new IllegalStateException("unreachable");
    }

    /** Fails the test in CI, skips it loudly elsewhere. */
    private static void stop(String message) {
        if (Boolean.parseBoolean(System.getenv("JAMES_PROXY_REQUIRE_BINARIES"))) {
            Assertions.fail(message + " (JAMES_PROXY_REQUIRE_BINARIES=true: interop tests must run)");
        }
        System.err.println("!!! SKIPPING INTEROP TEST: " + message + " !!!");
        Assumptions.abort(message);
    }

    /**
     * swaks with TLS support (its {@code --tls}, {@code --tlsc} and {@code --tls-cert} need the Perl module
     * Net::SSLeay, which Debian only recommends); the test stops as for a missing binary.
     */
    static Path requireSwaksWithTls() {
        Path swaks = require("swaks", "swaks");
        String support;
        try {
            Process process = new ProcessBuilder(swaks.toString(), "--support").redirectErrorStream(true).start();
            support = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!support.contains("=== TLS supported")) {
            stop("swaks has no TLS support (" + support.lines().filter(line -> line.contains("TLS")).findFirst()
                .orElse("no TLS line in swaks --support") + "): apt-get install -y libnet-ssleay-perl");
        }
        return swaks;
    }

    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : (path + File.pathSeparator + String.join(File.pathSeparator, SYSTEM_DIRECTORIES))
            .split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
