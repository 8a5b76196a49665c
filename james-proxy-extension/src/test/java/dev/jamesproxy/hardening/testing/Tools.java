package dev.jamesproxy.hardening.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real tools a campaign drives (haproxy). Like the interop tests: in CI
 * ({@code JAMES_PROXY_REQUIRE_BINARIES=true}, set by {@code .ci/run}) a missing binary fails the test;
 * elsewhere the test is skipped with a loud message.
 */
public final class Tools {
    private static final String[] SYSTEM_DIRECTORIES = {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin",
        "/usr/local/bin"};

    private Tools() {
    }

    public static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "'" + name + "' is not installed: apt-get install -y " + debianPackage;
        if (Boolean.parseBoolean(System.getenv("JAMES_PROXY_REQUIRE_BINARIES"))) {
            Assertions.fail(message + " (JAMES_PROXY_REQUIRE_BINARIES=true: hardening campaigns must run)");
        }
        System.err.println("!!! SKIPPING HARDENING CAMPAIGN: " + message + " !!!");
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : (path + File.pathSeparator + String.join(File.pathSeparator, SYSTEM_DIRECTORIES))
            .split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Paths.get(directory, name))) {
                return Optional.of(Paths.get(directory, name));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code count} distinct TCP ports free on {@code address} right now: the sockets stay open until all are
     * chosen, so the OS cannot hand out one port twice.
     */
    public static int[] freePorts(String address, int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(address));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
