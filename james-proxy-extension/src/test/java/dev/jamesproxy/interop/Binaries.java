package dev.jamesproxy.interop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

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
        String message = "'" + name + "' is not installed: apt-get install -y " + debianPackage;
        if (Boolean.parseBoolean(System.getenv("JAMES_PROXY_REQUIRE_BINARIES"))) {
            Assertions.fail(message + " (JAMES_PROXY_REQUIRE_BINARIES=true: interop tests must run)");
        }
        System.err.println("!!! SKIPPING INTEROP TEST: " + message + " !!!");
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
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
