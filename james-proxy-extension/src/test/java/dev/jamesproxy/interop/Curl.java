package dev.jamesproxy.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the real curl as a mail client from a source address and port of the test's choice, with its verbose
 * transcript ({@code > A002 SELECT INBOX}, {@code < A002 OK ...}; {@code > LIST}, {@code < +OK ...}). Bounded in time.
 */
final class Curl {
    private static final long RUN_SECONDS = 40;

    /**
     * IMAP: logs in and selects INBOX at {@code url} ({@code imap://127.0.0.1:port/} or {@code imaps://...}) from
     * {@code localAddress:localPort}; {@code extra} are more curl options, e.g. {@code --ssl-reqd} for STARTTLS.
     */
    static ClientRun selectInbox(String url, String localAddress, int localPort, String user, String password,
                                 String... extra) {
        List<String> options = new ArrayList<>(List.of("--request", "SELECT INBOX"));
        options.addAll(Arrays.asList(extra));
        return run(url, localAddress, localPort, user, password, options);
    }

    /**
     * POP3: logs in (USER, PASS) and lists the mailbox at {@code url} ({@code pop3://...} or {@code pop3s://...});
     * {@code extra} as for {@link #selectInbox}, e.g. {@code --ssl-reqd} for STLS.
     */
    static ClientRun listMailbox(String url, String localAddress, int localPort, String user, String password,
                                 String... extra) {
        return run(url, localAddress, localPort, user, password, Arrays.asList(extra));
    }

    private static ClientRun run(String url, String localAddress, int localPort, String user, String password,
                                 List<String> extra) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("curl", "curl").toString(),
            "--verbose", "--silent", "--show-error", "--insecure", "--max-time", "30",
            "--interface", localAddress, "--local-port", String.valueOf(localPort),
            "--user", user + ":" + password));
        command.addAll(extra);
        command.add(url);
        return ClientRun.of(command, RUN_SECONDS);
    }
}
