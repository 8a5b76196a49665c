package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HAProxy's {@code show stat} through its master CLI ({@code -W -S ipv4@127.0.0.1:port}), so that
 * {@code conf/haproxy.cfg} needs no stats socket of its own.
 */
final class HaproxyStats {
    private final int masterPort;

    HaproxyStats(int masterPort) {
        this.masterPort = masterPort;
    }

    /** One row per proxy/server, keyed by the CSV header's column names (pxname, svname, status, check_status...). */
    List<Map<String, String>> show() throws IOException {
        String csv = command("@1 show stat");
        String[] lines = csv.split("\n");
        List<Map<String, String>> rows = new ArrayList<>();
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new IOException("unexpected 'show stat' answer: " + csv);
        }
        String[] columns = lines[0].substring(2).split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] values = lines[i].split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < columns.length && c < values.length; c++) {
                row.put(columns[c], values[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The row of a backend's server, e.g. {@code james_smtp/james}. */
    Optional<Map<String, String>> server(String backend, String server) throws IOException {
        return show().stream().filter(row -> backend.equals(row.get("pxname")) && server.equals(row.get("svname")))
            .findFirst();
    }

    /** Waits until the server {@code james} of every backend reports its expected check status, e.g. {@code L7OK}. */
    void awaitChecks(Map<String, String> expectedCheckByBackend, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean allPassed = true;
            for (Map.Entry<String, String> expected : expectedCheckByBackend.entrySet()) {
                Optional<Map<String, String>> row = server(expected.getKey(), "james");
                allPassed &= row.isPresent() && expected.getValue().equals(lastCheck(row.get()));
            }
            if (allPassed) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("HAProxy's checks did not all pass within " + wait + ": " + show());
            }
            Thread.sleep(200);
        }
    }

    /** The server {@code james} of every backend is UP, has never failed or been marked down by a check. */
    void assertUpWithoutFailedChecks(Map<String, String> expectedCheckByBackend) throws IOException {
        for (Map.Entry<String, String> expected : expectedCheckByBackend.entrySet()) {
            Map<String, String> row = server(expected.getKey(), "james").orElseThrow();
            String described = expected.getKey() + ": " + row;
            assertThat(row.get("status")).as(described).isEqualTo("UP");
            assertThat(row.get("chkfail")).as(described).isEqualTo("0");
            assertThat(row.get("chkdown")).as(described).isEqualTo("0");
            assertThat(lastCheck(row)).as(described).isEqualTo(expected.getValue());
        }
    }

    /** The outcome of the last finished check: HAProxy puts "* " before it while the next check is running. */
    static String lastCheck(Map<String, String> row) {
        String status = row.getOrDefault("check_status", "");
        return status.startsWith("* ") ? status.substring(2) : status;
    }

    private String command(String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", masterPort), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
