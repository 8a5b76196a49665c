package dev.jamesproxy.james.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** A raw IMAP client over a real socket ({@link SmtpClient} underneath), with numbered tags and bounded waits. */
public final class ImapClient implements AutoCloseable {
    private static final Duration LINE_WAIT = Duration.ofSeconds(10);

    private final SmtpClient lines;
    private int tag;

    private ImapClient(SmtpClient lines) {
        this.lines = lines;
    }

    /** Connects from {@code localIp} (any 127.x.y.z on Linux loopback) to {@code 127.0.0.1:port}. */
    public static ImapClient connect(String localIp, int port) throws IOException {
        return new ImapClient(SmtpClient.connect(localIp, port));
    }

    /** The line client underneath: raw sends, waits for silence or for the close. */
    public SmtpClient raw() {
        return lines;
    }

    public ImapClient send(byte[] bytes) throws IOException {
        lines.send(bytes);
        return this;
    }

    public String readLine() throws IOException {
        return lines.readLine(LINE_WAIT);
    }

    /** The next tag this client will use, e.g. {@code a3}. */
    public String nextTag() {
        return "a" + (tag + 1);
    }

    /** Sends {@code <tag> command} and returns every line up to the tagged reply, joined with \n. */
    public String command(String command) throws IOException {
        String used = nextTag();
        tag++;
        lines.send(used + " " + command + "\r\n");
        return readUntilTagged(used);
    }

    /**
     * Reads lines until a tagged reply for each of {@code tags} has arrived, in whatever order (James answers
     * pipelined commands as they complete); lines joined with \n.
     */
    public String readUntilTagged(String... tags) throws IOException {
        Set<String> waiting = new HashSet<>(Arrays.asList(tags));
        StringBuilder reply = new StringBuilder();
        while (!waiting.isEmpty()) {
            String line = readLine();
            reply.append(reply.length() == 0 ? "" : "\n").append(line);
            int space = line.indexOf(' ');
            if (space > 0) {
                waiting.remove(line.substring(0, space));
            }
        }
        return reply.toString();
    }

    /** Starts TLS over the connection, after a STARTTLS reply or at once on an implicit-TLS port. */
    public ImapClient startTls() throws IOException {
        lines.startTls();
        return this;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
