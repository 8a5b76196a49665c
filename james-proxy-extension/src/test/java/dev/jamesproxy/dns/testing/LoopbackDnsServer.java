package dev.jamesproxy.dns.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for one test: Debian's dnsmasq on a loopback address, port 53 (James's {@code DNSJavaService}
 * always queries port 53, so the tests run as root), serving only the records the test gives:
 * <pre>{@code
 * try (LoopbackDnsServer dns = LoopbackDnsServer.builder()
 *         .a("2.0.0.127.bl.test", "127.0.0.2")          // A record
 *         .ptr("203.0.113.7", "client7.e2e.test")       // PTR of an address
 *         .txt("2.0.0.127.bl.test", "listed for tests") // TXT record
 *         .silentZone("slow.test")                      // every name below it hangs
 *         .start()) {
 *     DNSJavaService james = JamesDnsService.pointedAt(dns, metricFactory);
 * }
 * }</pre>
 * Every other name is NXDOMAIN ({@code --local=/#/}); nothing is forwarded to the machine's resolvers
 * ({@code --no-resolv}) and {@code /etc/hosts} is not read. The server caches nothing and answers with TTL 0.
 *
 * <p>Bounded in time: {@link Builder#start} waits at most 15 s for the server to answer, {@link #close} at most
 * 10 s for it to stop, and dnsmasq runs under {@code timeout(1)} so that a JVM killed before {@link #close}
 * leaves no server holding port 53 for longer than {@link Builder#maxLifetime} (default 30 min).
 *
 * <p>{@code @ExtendWith(LoopbackDnsServer.PrintLogOnFailure.class)} prints the query log of every server started in
 * the JVM when a test fails.
 *
 * <p>Without dnsmasq ({@code apt-get install -y dnsmasq-base}) or without root, the test stops: it fails when
 * {@code JAMES_PROXY_REQUIRE_BINARIES=true} (CI), and is skipped loudly elsewhere.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    /** The preferred listening address; another test on the machine may hold it, see {@link Builder#address}. */
    public static final String DEFAULT_ADDRESS = "127.0.0.153";
    /** Where the silent zones are forwarded to (an ephemeral UDP port on it). */
    public static final String SILENT_UPSTREAM_ADDRESS = "127.0.0.154";
    private static final List<String> FALLBACK_ADDRESSES = List.of("127.0.1.153", "127.0.2.153", "127.0.3.153");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final List<LoopbackDnsServer> STARTED = new CopyOnWriteArrayList<>();

    private final String address;
    private final DnsmasqProcess process;
    private final Optional<SilentUpstream> silentUpstream;

    private LoopbackDnsServer(String address, DnsmasqProcess process, Optional<SilentUpstream> silentUpstream) {
        this.address = address;
        this.process = process;
        this.silentUpstream = silentUpstream;
        STARTED.add(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loopback address the server listens on, port 53; give it to {@code DNSJavaService}. */
    public String address() {
        return address;
    }

    /** How many queries dnsmasq forwarded to the silent upstream (and got no answer for). */
    public int silentQueries() {
        return silentUpstream.map(SilentUpstream::queries).orElse(0);
    }

    /** What dnsmasq logged so far: its start-up lines and one line per query ({@code --log-queries}). */
    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        STARTED.remove(this);
        try {
            process.close();
        } finally {
            silentUpstream.ifPresent(SilentUpstream::close);
        }
    }

    /** Prints the output of every server still running when a test fails. */
    public static final class PrintLogOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (LoopbackDnsServer server : STARTED) {
                System.err.println("===== dnsmasq on " + server.address() + " =====");
                System.err.println(server.output());
            }
        }
    }

    /** The records of the test zone; every {@code name} is absolute, without the trailing dot. */
    public static final class Builder {
        private final List<String> records = new ArrayList<>();
        private final List<String> silentZones = new ArrayList<>();
        private Optional<String> address = Optional.empty();
        private Duration maxLifetime = Duration.ofMinutes(30);

        private Builder() {
        }

        /** An A record; dnsmasq also gives it to names below {@code name}. Repeat for several addresses. */
        public Builder a(String name, String ipv4) {
            records.add("--address=/" + name + "/" + literal(ipv4, 4));
            return this;
        }

        /** An AAAA record; dnsmasq also gives it to names below {@code name}. */
        public Builder aaaa(String name, String ipv6) {
            records.add("--address=/" + name + "/" + literal(ipv6, 16));
            return this;
        }

        /** The PTR record of {@code ip} (its {@code in-addr.arpa} or {@code ip6.arpa} name) pointing at {@code name}. */
        public Builder ptr(String ip, String name) {
            String reverse = ReverseMap.fromAddress(parse(ip)).toString(true);
            records.add("--ptr-record=" + reverse + "," + name);
            return this;
        }

        /** A TXT record with one string (no commas: on dnsmasq's command line they separate strings). */
        public Builder txt(String name, String text) {
            if (text.contains(",") || text.contains("\"") || text.contains("\\")) {
                throw new IllegalArgumentException("TXT text without commas, quotes or backslashes, please: " + text);
            }
            records.add("--txt-record=" + name + "," + text);
            return this;
        }

        /**
         * Makes every name in {@code zone} hang: dnsmasq forwards those queries to a UDP socket of this fixture
         * that reads them and never answers, so the client sees a time-out, not an error.
         */
        public Builder silentZone(String zone) {
            silentZones.add(zone);
            return this;
        }

        /**
         * Listens on exactly this loopback address (port 53). Without it, {@link #DEFAULT_ADDRESS} is tried first,
         * then a few others when a server of another test already holds it.
         */
        public Builder address(String loopbackAddress) {
            this.address = Optional.of(literal(loopbackAddress, 4));
            return this;
        }

        /** How long dnsmasq may outlive a JVM that died without closing it (default 30 min). */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = lifetime;
            return this;
        }

        /** Starts dnsmasq and returns once it answers a query; the test stops when dnsmasq or root is missing. */
        public LoopbackDnsServer start() {
            Path dnsmasq = DnsmasqProcess.requireBinary();
            Optional<SilentUpstream> upstream = silentZones.isEmpty() ? Optional.empty()
                : Optional.of(SilentUpstream.start(SILENT_UPSTREAM_ADDRESS));
            try {
                List<String> candidates = address.map(List::of).orElseGet(() -> {
                    List<String> all = new ArrayList<>(List.of(DEFAULT_ADDRESS));
                    all.addAll(FALLBACK_ADDRESSES);
                    return all;
                });
                List<String> failures = new ArrayList<>();
                for (String candidate : candidates) {
                    Optional<DnsmasqProcess> started = tryStart(dnsmasq, candidate, upstream, failures);
                    if (started.isPresent()) {
                        return new LoopbackDnsServer(candidate, started.get(), upstream);
                    }
                }
                throw new IllegalStateException("dnsmasq could not listen on any of " + candidates + ":\n"
                    + String.join("\n", failures));
            } catch (RuntimeException | Error e) {
                upstream.ifPresent(SilentUpstream::close);
                throw e;
            }
        }

        private Optional<DnsmasqProcess> tryStart(Path dnsmasq, String listen, Optional<SilentUpstream> upstream,
                                                  List<String> failures) {
            String probe = "probe-" + UUID.randomUUID() + ".fixture.test";
            List<String> arguments = new ArrayList<>(List.of(
                "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--user=root",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + listen, "--port=53",
                "--cache-size=0", "--log-facility=-", "--log-queries", "--local=/#/",
                "--txt-record=" + probe + ",ready"));
            arguments.addAll(records);
            for (String zone : silentZones) {
                arguments.add("--server=/" + zone + "/" + upstream.orElseThrow().dnsmasqTarget());
            }
            DnsmasqProcess process = DnsmasqProcess.start(dnsmasq, arguments, maxLifetime);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    String output = process.output();
                    process.close();
                    if (output.contains("Permission denied")) {
                        DnsmasqProcess.stopTest("dnsmasq may not bind port 53 of " + listen + " (run the tests as root):\n"
                            + output);
                    }
                    failures.add(listen + ": " + output.trim());
                    return Optional.empty();
                }
                if (answers(listen, probe)) {
                    return Optional.of(process);
                }
                sleep(50);
            }
            String output = process.output();
            process.close();
            throw new IllegalStateException("dnsmasq did not answer on " + listen + ":53 within " + START_TIMEOUT
                + ":\n" + output);
        }

        private static boolean answers(String listen, String probe) {
            try {
                SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(listen));
                resolver.setTimeout(Duration.ofMillis(200));
                Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(probe + "."),
                    Type.TXT, DClass.IN)));
                return reply.getRcode() == Rcode.NOERROR && reply.getSection(1).size() == 1;
            } catch (IOException notYet) {
                return false;
            }
        }

        private static String literal(String ip, int length) {
            InetAddress parsed = parse(ip);
            if (parsed.getAddress().length != length) {
                throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " address: " + ip);
            }
            return parsed.getHostAddress();
        }

        private static InetAddress parse(String ip) {
            if (!ip.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("an IP literal, not a name, please: " + ip);
            }
            try {
                return InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + ip, e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
