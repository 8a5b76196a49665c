package dev.jamesproxy.dns.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP "DNS server" that reads every query and never answers: dnsmasq forwards the zones that must hang to it.
 * A closed port would not do: the kernel answers with ICMP port unreachable and the resolver fails at once.
 */
final class SilentUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread reader;
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean closed;

    private SilentUpstream(DatagramSocket socket) {
        this.socket = socket;
        this.reader = new Thread(this::readUntilClosed, "silent-dns-upstream-" + socket.getLocalPort());
        reader.setDaemon(true);
    }

    /** Binds an ephemeral UDP port on {@code address} (a loopback address) and starts dropping what arrives. */
    static SilentUpstream start(String address) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
            socket.setSoTimeout(200);
            SilentUpstream upstream = new SilentUpstream(socket);
            upstream.reader.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket on " + address, e);
        }
    }

    /** {@code 127.0.0.154#40123}, the form of dnsmasq's {@code --server}. */
    String dnsmasqTarget() {
        return socket.getLocalAddress().getHostAddress() + "#" + socket.getLocalPort();
    }

    /** How many queries arrived (and were dropped) so far. */
    int queries() {
        return queries.get();
    }

    private void readUntilClosed() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                queries.incrementAndGet();
            } catch (SocketTimeoutException idle) {
                // loop to look at the closed flag
            } catch (SocketException closing) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
