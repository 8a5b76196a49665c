package dev.jamesproxy.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One IMAP session of the load harness: connect, optional PROXY header, LOGIN, SELECT INBOX, LOGOUT. */
final class ImapSession {
    private ImapSession() {
    }

    /**
     * Runs one session.
     *
     * @param header bytes written right after connecting, or an empty array
     * @return the nanoseconds from the start of the TCP connect to the end of the {@code * OK} greeting, and to the
     * end of the tagged LOGOUT answer
     */
    static long[] run(int port, byte[] header, String user) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            if (header.length > 0) {
                out.write(header);
                out.flush();
            }
            String greeting = readLine(in);
            if (!greeting.startsWith("* OK")) {
                throw new IOException("expected * OK, got '" + greeting + "'");
            }
            long greeted = System.nanoTime() - start;
            command(in, out, "a1", "LOGIN " + user + " secret");
            command(in, out, "a2", "SELECT INBOX");
            command(in, out, "a3", "LOGOUT");
            return new long[] {greeted, System.nanoTime() - start};
        }
    }

    /** Sends a tagged command and reads until its tagged answer, which must be OK. */
    private static void command(InputStream in, OutputStream out, String tag, String command) throws IOException {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            String line = readLine(in);
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException("expected " + tag + " OK, got '" + line + "'");
                }
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
