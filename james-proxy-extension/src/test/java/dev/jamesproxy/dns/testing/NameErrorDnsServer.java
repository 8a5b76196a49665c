package dev.jamesproxy.dns.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * The loopback DNS server of every James the tests boot without a {@link LoopbackDnsServer} of their own (the
 * address of test resource {@code james-conf/dnsservice.xml}): it answers every query at once with NXDOMAIN and a
 * one-hour SOA, so that reverse DNS and James's own lookups end quickly (and are cached, as with a real server) and no test query leaves the machine. Messages are read and written
 * with dnsjava, James's own DNS library. One per JVM, started on first use, on a daemon thread.
 */
public final class NameErrorDnsServer {
    /** Where {@code james-conf/dnsservice.xml} sends James's queries. */
    public static final String ADDRESS = "127.0.0.253";

    private static final Logger LOGGER = LoggerFactory.getLogger(NameErrorDnsServer.class);
    private static final SOARecord SOA = new SOARecord(Name.root, DClass.IN, 3600, name("ns.test."),
        name("hostmaster.test."), 1, 3600, 600, 86400, 3600);
    private static boolean started;

    private NameErrorDnsServer() {
    }

    /** Starts the server once per JVM; without the right to bind port 53, lookups just time out (slower tests). */
    public static synchronized void ensureStarted() {
        if (started) {
            return;
        }
        started = true;
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ADDRESS), 53));
        } catch (IOException e) {
            LOGGER.warn("No NXDOMAIN server on {}:53 ({}): James's lookups in tests will wait for their timeout", ADDRESS,
                e.toString());
            return;
        }
        Thread thread = new Thread(() -> serve(socket), "nxdomain-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void serve(DatagramSocket socket) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message answer = new Message(query.getHeader().getID());
                answer.getHeader().setFlag(Flags.QR);
                answer.getHeader().setRcode(Rcode.NXDOMAIN);
                if (query.getQuestion() != null) {
                    answer.addRecord(query.getQuestion(), Section.QUESTION);
                    // As a real server does: the SOA lets resolvers cache the negative answer (RFC 2308).
                    answer.addRecord(SOA, Section.AUTHORITY);
                }
                byte[] wire = answer.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOGGER.debug("NXDOMAIN server: a query could not be answered", e);
            }
        }
    }
}
