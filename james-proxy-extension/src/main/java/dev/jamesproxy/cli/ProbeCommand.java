package dev.jamesproxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.jamesproxy.protocol.Command;
import dev.jamesproxy.protocol.Escaping;
import dev.jamesproxy.protocol.HeaderWriter;
import dev.jamesproxy.protocol.Hex;
import dev.jamesproxy.protocol.ProxyHeaderParser;

/**
 * {@code probe}: connects to a listener, sends a chosen PROXY header, then a short SMTP dialogue (EHLO,
 * QUIT), and prints what the server answered, or that it closed the connection and after how long.
 * For testing a deployment and reproducing a rejection.
 */
final class ProbeCommand {
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: probe --host H --port P [--v1|--v2] [--src ADDR:PORT --dst ADDR:PORT] [--unknown|--local]",
        "             [--tlv TYPE=HEX]... [--crc32c] [--tls] [--raw HEX] [--bind ADDR] [--ehlo NAME] [--timeout SECONDS]",
        "  --v1/--v2     header version (default --v2)",
        "  --src/--dst   the client and the address it reached; IPv6 as [addr]:port",
        "  --unknown     v1 'PROXY UNKNOWN';  --local  v2 LOCAL (a health check)",
        "  --tlv         a v2 TLV, type as decimal or 0xNN, value as hex (repeatable)",
        "  --crc32c      append a CRC32C TLV (v2);  --raw  send these bytes instead of a built header",
        "  --tls         start TLS right after the header (implicit TLS, port 465 style)",
        "  --bind        local address to connect from (e.g. 127.0.0.5)");

    private final PrintStream out;
    private String host;
    private int port = -1;
    private boolean v1;
    private boolean local;
    private boolean unknown;
    private boolean crc32c;
    private boolean tls;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    /** The {@code --tlv} options, each encoded as it goes on the wire. */
    private final List<byte[]> tlvs = new ArrayList<>();
    private byte[] raw;
    private String bind;
    private String ehlo = "probe.invalid";
    private int timeoutMillis = 5000;

    ProbeCommand(PrintStream out) {
        this.out = out;
    }

    /** Parses the arguments; returns an error message, or empty when they are usable. */
    Optional<String> configure(String[] args) {
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host": host = args[++i]; break;
                    case "--port": port = Integer.parseInt(args[++i]); break;
                    case "--v1": v1 = true; break;
                    case "--v2": v1 = false; break;
                    case "--src": source = socketAddress(args[++i]); break;
                    case "--dst": destination = socketAddress(args[++i]); break;
                    case "--unknown": unknown = true; break;
                    case "--local": local = true; break;
                    case "--crc32c": crc32c = true; break;
                    case "--tls": tls = true; break;
                    case "--tlv": tlvs.add(tlv(args[++i])); break;
                    case "--raw": raw = Hex.decode(args[++i]).orElseThrow(() -> new IllegalArgumentException("--raw is not hex")); break;
                    case "--bind": bind = args[++i]; break;
                    case "--ehlo": ehlo = args[++i]; break;
                    case "--timeout": timeoutMillis = (int) (Double.parseDouble(args[++i]) * 1000); break;
                    default: return Optional.of("unknown option '" + args[i] + "'");
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return Optional.of("option '" + args[args.length - 1] + "' needs a value");
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (host == null || port < 0 || port > 65535) {
            return Optional.of("--host and --port are required");
        }
        if (raw == null && !unknown && !local && (source == null || destination == null)) {
            return Optional.of("give --src and --dst, or --unknown (v1) / --local (v2)");
        }
        return Optional.empty();
    }

    /** 0 when the server greeted us after the header, 1 when it closed or failed. */
    int run() throws IOException {
        byte[] header = header();
        out.println("* header (" + header.length + " bytes): " + Escaping.printable(header, 0, header.length, 120));
        out.println("* as decoded here: " + new ProxyHeaderParser().parse(header));
        try (Socket socket = new Socket()) {
            if (bind != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
            }
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            out.println("* connected " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress());
            long sent = System.nanoTime();
            socket.getOutputStream().write(header);
            socket.getOutputStream().flush();
            Socket channel = tls ? startTls(socket) : socket;
            InputStream in = channel.getInputStream();
            OutputStream toServer = channel.getOutputStream();
            Optional<String> greeting = readReply(in, sent);
            if (greeting.isEmpty() || !greeting.get().startsWith("220")) {
                return 1;
            }
            send(toServer, "EHLO " + ehlo);
            readReply(in, System.nanoTime());
            send(toServer, "QUIT");
            readReply(in, System.nanoTime());
            return 0;
        } catch (IOException e) {
            out.println("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private byte[] header() {
        if (raw != null) {
            return raw;
        }
        if (v1) {
            return unknown || source == null || destination == null
                ? HeaderWriter.v1Unknown().toBytes() : HeaderWriter.v1(source, destination).toBytes();
        }
        HeaderWriter v2 = local ? HeaderWriter.v2(Command.LOCAL) : HeaderWriter.v2(Command.PROXY).addresses(source, destination);
        for (byte[] tlv : tlvs) {
            v2 = v2.raw(tlv);
        }
        return (crc32c ? v2.crc32c() : v2).toBytes();
    }

    private Socket startTls(Socket socket) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            ssl.startHandshake();
            out.println("* TLS " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite()
                + " (certificate not verified: this is a probe)");
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Reads one SMTP reply (all its lines); prints it, or the close and how long it took. */
    private Optional<String> readReply(InputStream in, long since) throws IOException {
        StringBuilder reply = new StringBuilder();
        StringBuilder line = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String text = line.toString().replace("\r", "");
                    out.println("< " + text);
                    reply.append(text).append('\n');
                    line.setLength(0);
                    if (text.length() < 4 || text.charAt(3) != '-') {
                        return Optional.of(reply.toString());
                    }
                } else {
                    line.append((char) b);
                }
            }
            out.println("* connection closed by the server after " + millisSince(since) + " ms"
                + (reply.length() == 0 && line.length() == 0 ? " without a reply" : ""));
        } catch (SocketTimeoutException e) {
            out.println("* no reply within " + timeoutMillis + " ms");
        } catch (IOException e) {
            out.println("* connection reset by the server after " + millisSince(since) + " ms (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private void send(OutputStream toServer, String command) throws IOException {
        out.println("> " + command);
        toServer.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        toServer.flush();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static InetSocketAddress socketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not ADDR:PORT");
        }
        String address = text.substring(0, colon);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + address + "' is not an IP literal");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address), Integer.parseInt(text.substring(colon + 1)));
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP literal");
        }
    }

    private static byte[] tlv(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--tlv takes TYPE=HEX, e.g. 0x05=616263");
        }
        String typeText = text.substring(0, equals);
        int type = typeText.startsWith("0x") ? Integer.parseInt(typeText.substring(2), 16) : Integer.parseInt(typeText);
        byte[] value = Hex.decode(text.substring(equals + 1))
            .orElseThrow(() -> new IllegalArgumentException("--tlv value is not hex: " + text));
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("--tlv type is 0-255: " + text);
        }
        return HeaderWriter.encodeTlv(type, value);
    }

    /** A probe talks to the operator's own server, often with a self-signed certificate. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
