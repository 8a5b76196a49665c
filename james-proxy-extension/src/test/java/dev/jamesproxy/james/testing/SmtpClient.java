package dev.jamesproxy.james.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

/** A raw SMTP client over a real socket, with a local address of our choice and bounded waits. */
public final class SmtpClient implements AutoCloseable {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Duration replyWait = DEFAULT_WAIT;

    private SmtpClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects from {@code localIp} (any 127.x.y.z works on Linux loopback) to {@code 127.0.0.1:port}. */
    public static SmtpClient connect(String localIp, int port) throws IOException {
        return connect(localIp, "127.0.0.1", port);
    }

    public static SmtpClient connect(String localIp, String serverIp, int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.bind(new InetSocketAddress(localIp, 0));
        socket.connect(new InetSocketAddress(serverIp, port), (int) DEFAULT_WAIT.toMillis());
        return new SmtpClient(socket);
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** The client's own port, as the server sees it. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** How long {@link #readReply()} (and so {@link #command}) waits for each line; 10 s unless set. */
    public SmtpClient withReplyWait(Duration wait) {
        this.replyWait = wait;
        return this;
    }

    /** Writes the bytes in one write call. */
    public SmtpClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public SmtpClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends one command line and reads the (possibly multi-line) reply. */
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    /** Reads one reply: every line up to the one with a space after the code; lines joined with \n. */
    public String readReply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine(replyWait);
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    /** Reads one line without its CRLF; fails on EOF or after {@code wait}. */
    public String readLine(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF after \"" + line.toString(StandardCharsets.US_ASCII) + "\"");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    /**
     * Waits up to {@code wait} for something from the server.
     *
     * @return the bytes received before the wait ended or the server closed; empty when it stayed silent
     */
    public byte[] receiveWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (SocketTimeoutException expected) {
            // silence until the deadline
        }
        return got.toByteArray();
    }

    /**
     * Everything the server sends until it closes the connection.
     *
     * @throws AssertionError when the connection is still open after {@code wait}
     */
    public byte[] readUntilClosed(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("still open after " + wait + "; received \""
                        + got.toString(StandardCharsets.US_ASCII) + "\"");
                }
                socket.setSoTimeout((int) left);
                int b = in.read();
                if (b < 0) {
                    return got.toByteArray();
                }
                got.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + wait + "; received \""
                + got.toString(StandardCharsets.US_ASCII) + "\"", e);
        } catch (SocketException e) {
            return got.toByteArray();
        }
    }

    /** Whether the server closes the connection within {@code wait}, ignoring bytes it sends first. */
    public boolean isClosedWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            while (in.read() >= 0) {
                // drain until EOF
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Starts TLS over the current connection (after STARTTLS, or right away for implicit TLS). */
    public SmtpClient startTls() throws IOException {
        SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory()
            .createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.setSoTimeout((int) DEFAULT_WAIT.toMillis());
        tls.startHandshake();
        use(tls);
        return this;
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }



    @Override
    public void close() throws IOException {
        socket.close();
    }
}
