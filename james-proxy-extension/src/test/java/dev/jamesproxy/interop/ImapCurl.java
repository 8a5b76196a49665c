package dev.jamesproxy.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real curl as an IMAP client: LOGIN, then SELECT INBOX, from a source address and port of the test's
 * choice, with its verbose transcript ({@code > A002 SELECT INBOX}, {@code < A002 OK ...}). Bounded in time.
 */
final class ImapCurl {
    private static final long RUN_SECONDS = 40;

    /** The outcome of one curl run. */
    static final class Result {
        final int exitCode;
        final String transcript;

        Result(int exitCode, String transcript) {
            this.exitCode = exitCode;
            this.transcript = transcript;
        }

        @Override
        public String toString() {
            return "curl exit " + exitCode + "\n" + transcript;
        }
    }

    private ImapCurl() {
    }

    /**
     * Logs in and selects INBOX at {@code url} ({@code imap://127.0.0.1:port/} or {@code imaps://...}) from
     * {@code localAddress:localPort}; {@code extra} are more curl options, e.g. {@code --ssl-reqd} for STARTTLS.
     */
    static Result selectInbox(String url, String localAddress, int localPort, String user, String password,
                              String... extra) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("curl", "curl").toString(),
            "--verbose", "--silent", "--show-error", "--insecure", "--max-time", "30",
            "--interface", localAddress, "--local-port", String.valueOf(localPort),
            "--user", user + ":" + password, "--request", "SELECT INBOX"));
        command.addAll(Arrays.asList(extra));
        command.add(url);
        Path transcript = null;
        try {
            transcript = Files.createTempFile("curl-imap", ".txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(transcript.toFile()).start();
            boolean finished = process.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = "$ " + String.join(" ", command) + "\n" + Files.readString(transcript, StandardCharsets.UTF_8);
            return finished ? new Result(process.exitValue(), text)
                : new Result(-1, text + "\n(curl killed after " + RUN_SECONDS + " s)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run curl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (transcript != null) {
                transcript.toFile().delete();
            }
        }
    }
}
