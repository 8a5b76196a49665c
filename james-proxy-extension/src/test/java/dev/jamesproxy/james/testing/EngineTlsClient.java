package dev.jamesproxy.james.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client driven by an {@link SSLEngine} over a plain socket, so that the PROXY header and the
 * TLS ClientHello can go out in a single write, as a proxy in front of an implicit-TLS port does.
 */
public final class EngineTlsClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;

    private EngineTlsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = TrustingTls.context().createSSLEngine("localhost", socket.getPort());
        this.engine.setUseClientMode(true);
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Connects from {@code localIp}, writes {@code prefix} and the ClientHello in one write, and completes the handshake. */
    public static EngineTlsClient connect(String localIp, int port, byte[] prefix) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.bind(new InetSocketAddress(localIp, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        EngineTlsClient client = new EngineTlsClient(socket);
        client.handshake(prefix);
        return client;
    }

    private void handshake(byte[] prefix) throws IOException {
        engine.beginHandshake();
        byte[] first = wrap(ByteBuffer.allocate(0));
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        flight.writeBytes(prefix);
        flight.writeBytes(first);
        out.write(flight.toByteArray());
        out.flush();
        while (true) {
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                out.write(wrap(ByteBuffer.allocate(0)));
                out.flush();
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                unwrapSome();
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else {
                return;
            }
        }
    }

    private byte[] wrap(ByteBuffer application) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(application, net);
        net.flip();
        byte[] bytes = new byte[net.remaining()];
        net.get(bytes);
        return bytes;
    }

    /** Unwraps what is buffered; reads from the socket when a whole record is not there yet. */
    private void unwrapSome() throws IOException {
        netIn.flip();
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        netIn.compact();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
            readMore();
        } else if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            ByteBuffer larger = ByteBuffer.allocate(appIn.capacity() * 2);
            appIn.flip();
            larger.put(appIn);
            appIn = larger;
        } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("TLS closed by the server");
        }
    }

    private void readMore() throws IOException {
        byte[] chunk = new byte[4096];
        int n = in.read(chunk);
        if (n < 0) {
            throw new IOException("EOF during TLS");
        }
        if (netIn.remaining() < n) {
            ByteBuffer larger = ByteBuffer.allocate(netIn.capacity() + n);
            netIn.flip();
            larger.put(netIn);
            netIn = larger;
        }
        netIn.put(chunk, 0, n);
    }

    /** Reads one decrypted line without CRLF. */
    public String readLine() throws IOException {
        while (true) {
            appIn.flip();
            for (int i = appIn.position(); i < appIn.limit(); i++) {
                if (appIn.get(i) == '\n') {
                    byte[] line = new byte[i - appIn.position() + 1];
                    appIn.get(line);
                    appIn.compact();
                    String text = new String(line, StandardCharsets.US_ASCII);
                    return text.replaceAll("\r?\n$", "");
                }
            }
            appIn.compact();
            unwrapSome();
        }
    }

    /** Reads one possibly multi-line reply; lines joined with \n. */
    public String readReply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine();
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    public String command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Sends one line (CRLF added) without reading anything, e.g. an IMAP command whose reply has several lines. */
    public void send(String line) throws IOException {
        out.write(wrap(ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.US_ASCII))));
        out.flush();
    }

    /** The negotiated protocol, e.g. TLSv1.3. */
    public String protocol() {
        return engine.getSession().getProtocol();
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
