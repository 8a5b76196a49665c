package dev.jamesproxy.interop;

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
 * HAProxy's runtime API on its admin socket ({@code stats socket ... level admin}), one command per connection as
 * {@code echo "<command>" | socat stdio <socket>} sends it: the commands of docs/operations-rolling-restart.md.
 */
final class HaproxyRuntime {
    /** The backends of conf/haproxy-two-nodes.cfg: a node is drained, put in maintenance and back in all of them. */
    static final List<String> BACKENDS = List.of("james_smtp", "james_smtps", "james_submission", "james_terminated");

    private final int port;

    HaproxyRuntime(int port) {
        this.port = port;
    }

    /** Sends one command, returns HAProxy's answer (empty for a successful {@code set server}). */
    String command(String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /** {@code set server <backend>/<server> state <state>} in every backend; fails on any answer (an error). */
    void setState(String server, String state) throws IOException {
        for (String backend : BACKENDS) {
            String answer = command("set server " + backend + "/" + server + " state " + state);
            if (!answer.isEmpty()) {
                throw new IOException("set server " + backend + "/" + server + " state " + state + ": " + answer);
            }
        }
    }

    /** One row of {@code show stat} per proxy/server, keyed by the CSV header's names (pxname, svname, scur, status...). */
    List<Map<String, String>> showStat() throws IOException {
        String[] lines = command("show stat").split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new IOException("unexpected 'show stat' answer: " + String.join("\n", lines));
        }
        String[] columns = lines[0].substring(2).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
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

    Optional<Map<String, String>> server(String backend, String server) throws IOException {
        return showStat().stream().filter(row -> backend.equals(row.get("pxname")) && server.equals(row.get("svname")))
            .findFirst();
    }

    /** The sessions HAProxy has open to {@code server}, in every backend (health checks are not sessions). */
    int sessions(String server) throws IOException {
        int sessions = 0;
        for (Map<String, String> row : showStat()) {
            if (server.equals(row.get("svname")) && BACKENDS.contains(row.get("pxname"))) {
                sessions += Integer.parseInt(row.get("scur"));
            }
        }
        return sessions;
    }

    /** Waits until {@code server} is in {@code status} (UP, DOWN, MAINT, DRAIN...) in every backend. */
    Duration awaitStatus(String server, String status, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (true) {
            boolean all = true;
            for (String backend : BACKENDS) {
                all &= server(backend, server).map(row -> row.get("status")).filter(status::equals).isPresent();
            }
            if (all) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError(server + " not " + status + " within " + timeout + ": " + command("show servers state"));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until HAProxy has no session open to {@code server}. */
    Duration awaitNoSessions(String server, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (sessions(server) > 0) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError(server + " still has " + sessions(server) + " sessions after " + timeout);
            }
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
