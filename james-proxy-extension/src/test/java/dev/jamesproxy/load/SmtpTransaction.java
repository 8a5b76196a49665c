package dev.jamesproxy.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One full SMTP transaction: connect, optional PROXY header, EHLO, MAIL, RCPT, DATA, QUIT. */
final class SmtpTransaction {
    private static final byte[] BODY = body();

    private SmtpTransaction() {
    }

    /**
     * Runs one transaction.
     *
     * @param header bytes written right after connecting, or an empty array
     * @return the nanoseconds from the start of the TCP connect to the end of the 220 greeting, and to the end of the
     * 221 after QUIT
     */
    static long[] run(int port, byte[] header, String recipient, int sequence) throws IOException {
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
            expect(in, "220");
            long greeted = System.nanoTime() - start;
            command(in, out, "EHLO load.example", "250");
            command(in, out, "MAIL FROM:<load@example.net>", "250");
            command(in, out, "RCPT TO:<" + recipient + ">", "250");
            command(in, out, "DATA", "354");
            out.write(("Subject: load " + sequence + "\r\nMessage-ID: <load-" + sequence + "@example.net>\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
            command(in, out, ".", "250");
            command(in, out, "QUIT", "221");
            return new long[] {greeted, System.nanoTime() - start};
        }
    }

    private static void command(InputStream in, OutputStream out, String line, String expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, expected);
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            String line = readLine(in);
            if (!line.startsWith(code)) {
                throw new IOException("expected " + code + ", got '" + line + "'");
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
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

    /** A 2 KiB body of 78-character lines. */
    private static byte[] body() {
        StringBuilder text = new StringBuilder(2200);
        String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef\r\n";
        while (text.length() + line.length() <= 2048) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
