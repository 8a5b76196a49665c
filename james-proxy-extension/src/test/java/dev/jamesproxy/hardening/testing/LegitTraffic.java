package dev.jamesproxy.hardening.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Legitimate proxied sessions as fast as {@code workers} threads can run them, for a fixed time:
 * connect from the proxy, a v2 header with CRC32C and EHLO in one write, MAIL, RCPT to a local user, QUIT.
 * A session counts when every reply was the expected one.
 */
public final class LegitTraffic {
    private final List<String> proxyAddresses;
    private final int port;
    private final int workers;

    public LegitTraffic(String proxyAddress, int port, int workers) {
        this(List.of(proxyAddress), port, workers);
    }

    /**
     * Sessions rotate over {@code proxyAddresses}. Mind that James resolves each TCP peer's name when a session
     * starts: an address that /etc/hosts does not answer makes the DNS server part of the measurement.
     */
    public LegitTraffic(List<String> proxyAddresses, int port, int workers) {
        this.proxyAddresses = List.copyOf(proxyAddresses);
        this.port = port;
        this.workers = workers;
    }

    /** Sessions and failures in one measurement window. */
    public static final class Result {
        public final long sessions;
        public final long failures;
        public final Duration window;

        Result(long sessions, long failures, Duration window) {
            this.sessions = sessions;
            this.failures = failures;
            this.window = window;
        }

        public double perSecond() {
            return sessions * 1000.0 / window.toMillis();
        }

        @Override
        public String toString() {
            return String.format("%d sessions in %d ms (%.1f/s), %d failed", sessions, window.toMillis(), perSecond(), failures);
        }
    }

    public Result run(Duration window) throws Exception {
        AtomicLong sessions = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                running.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        if (session(worker, n++)) {
                            sessions.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        return new Result(sessions.get(), failures.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    private boolean session(int worker, int n) {
        String client = "203.0.113." + (1 + worker);
        byte[] header = ProxyHeaders.v2(client, 1024 + n % 60000, "192.0.2.25", 25).crc32c().build();
        try (SmtpClient smtp = SmtpClient.connect(proxyAddresses.get((worker + n) % proxyAddresses.size()), port)) {
            smtp.send(ProxyHeaders.concat(header, ProxyHeaders.ascii("EHLO legit.example\r\n")));
            return smtp.readReply().startsWith("220 ")
                && smtp.readReply().contains("[" + client + "]")
                && smtp.command("MAIL FROM:<legit@sender.example>").startsWith("250")
                && smtp.command("RCPT TO:<bob@example.test>").startsWith("250")
                && smtp.command("QUIT").startsWith("221")
                // the server closes first, so TIME_WAIT stays on its side, not on this client's ephemeral ports
                && smtp.readUntilClosed(Duration.ofSeconds(10)).length == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
