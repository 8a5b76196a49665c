package dev.jamesproxy.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real swaks SMTP client and captures its transcript. */
final class Swaks {
    /** The outcome of one swaks run. */
    static final class Result {
        final int exitCode;
        final String transcript;

        Result(int exitCode, String transcript) {
            this.exitCode = exitCode;
            this.transcript = transcript;
        }

        @Override
        public String toString() {
            return "swaks exit " + exitCode + "\n" + transcript;
        }
    }

    private Swaks() {
    }

    /**
     * Sends one mail. {@code extra} are more swaks options, e.g. {@code --tls}, {@code --tlsc},
     * {@code --tls-cert F --tls-key F}.
     */
    static Result send(String server, int port, String localInterface, String from, String to, String subject,
                       String... extra) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("swaks", "swaks").toString(),
            "--server", server, "--port", String.valueOf(port), "--local-interface", localInterface,
            "--from", from, "--to", to, "--header", "Subject: " + subject, "--helo", "client.example",
            "--timeout", "20", "--hide-informational"));
        command.addAll(Arrays.asList(extra));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            process.getInputStream().transferTo(out);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, out.toString(StandardCharsets.UTF_8) + "\n(swaks timed out)");
            }
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run swaks", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
