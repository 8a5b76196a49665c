package dev.jamesproxy.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real swaks SMTP client and captures its transcript; every run is bounded in time. */
final class Swaks {
    private static final long RUN_SECONDS = 60;
    private static final Pattern TLS_STARTED = Pattern.compile("TLS started with cipher ([^:\\s]+):([^:\\s]+):");

    /** The outcome of one swaks run. */
    static final class Result {
        final int exitCode;
        final String transcript;

        Result(int exitCode, String transcript) {
            this.exitCode = exitCode;
            this.transcript = transcript;
        }

        /** The TLS version swaks negotiated, e.g. {@code TLSv1.3}, from its "TLS started with cipher" line. */
        Optional<String> tlsVersion() {
            return tlsGroup(1);
        }

        /** The cipher swaks negotiated, e.g. {@code TLS_AES_256_GCM_SHA384}. */
        Optional<String> tlsCipher() {
            return tlsGroup(2);
        }

        private Optional<String> tlsGroup(int group) {
            Matcher matcher = TLS_STARTED.matcher(transcript);
            return matcher.find() ? Optional.of(matcher.group(group)) : Optional.empty();
        }

        @Override
        public String toString() {
            return "swaks exit " + exitCode + "\n" + transcript;
        }
    }

    private Swaks() {
    }

    /**
     * Sends one mail. {@code localInterface} may carry a port ({@code 127.0.0.5:40123}) so the test knows the
     * client's source port. {@code extra} are more swaks options, e.g. {@code --tls}, {@code --tlsc},
     * {@code --tls-cert F --tls-key F}.
     */
    static Result send(String server, int port, String localInterface, String from, String to, String subject,
                       String... extra) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("swaks", "swaks").toString(),
            "--server", server, "--port", String.valueOf(port), "--local-interface", localInterface,
            "--from", from, "--to", to, "--header", "Subject: " + subject, "--helo", "client.example",
            "--timeout", "20"));
        command.addAll(Arrays.asList(extra));
        ClientRun run = ClientRun.of(command, RUN_SECONDS);
        return new Result(run.exitCode, run.transcript);
    }
}
