package dev.jamesproxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.hardening.testing.Figures;
import dev.jamesproxy.hardening.testing.LeakWatch;
import dev.jamesproxy.hardening.testing.Scale;
import dev.jamesproxy.hardening.testing.Tools;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Load with nothing lost, through real HAProxy run with the shipped conf/haproxy.cfg (addresses from the
 * environment): concurrent sessions from 40 client addresses deliver mails through the v2 frontend (port 25
 * role: CRC32C, unique id, authority) and the v1 frontend (port 587 role), one connection per mail. Every mail
 * has a unique Subject and Message-ID; the INBOX must hold each exactly once, and each one's Received: header
 * must name the client address that sent it and the PROXY hop. Short by default (50 sessions, 500 mails), long
 * with {@code -Dhardening.long=true} (1000 sessions, 10 000 mails).
 */
class HaproxyLoadTest {
    private static final Path CONF = Paths.get("..", "conf").toAbsolutePath().normalize();
    private static final int CLIENT_ADDRESSES = 40;
    /**
     * HAProxy's frontends: a loopback address of their own. HAProxy binds with SO_REUSEPORT, so another HAProxy on
     * this machine that picked the same port on the same address would share its connections.
     */
    private static final String FRONTEND = "127.0.6.25";
    private static final int MAX_ATTEMPTS = 100;
    /** As patient as an MTA for each reply (RFC 5321 asks for minutes): a saturated James queues, it does not fail. */
    private static final Duration REPLY_WAIT = Duration.ofMinutes(5);
    private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: (load-[0-9a-z]+-([0-9]+))\\r?$");
    private static final String LISTENER = "<smtpservers><proxiedsmtpserver enabled=\"true\">"
        + "<jmxName>load-proxied</jmxName><bind>127.0.0.1:0</bind><connectionBacklog>4096</connectionBacklog>"
        + "<gracefulShutdown>false</gracefulShutdown><helloName autodetect=\"false\">mx.example.test</helloName>"
        + "<auth><announce>never</announce></auth><maxmessagesize>0</maxmessagesize>"
        + "<proxyProtocol><timeout>3s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/></proxyProtocol>"
        + "<handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain>"
        + "</proxiedsmtpserver></smtpservers>";

    @Test
    void everyMailShouldArriveOnceWithItsClientAddress() throws Exception {
        Path haproxyBinary = Tools.require("haproxy", "haproxy");
        int sessions = Scale.fitDescriptors(Scale.pick("hardening.load.sessions", 50, 1000), 2);
        int mails = Scale.pick("hardening.load.mails", 500, 10_000);
        String run = Long.toHexString(System.nanoTime());
        try (LeakWatch leakWatch = LeakWatch.open(); JamesHarness james = JamesHarness.start(LISTENER, null,
            JamesHarness.deliveryOnly())) {
            int jamesPort = JamesHarness.port("load-proxied");
            int[] ports = Tools.freePorts(FRONTEND, 4);
            int v2Port = ports[0];
            int v1Port = ports[1];
            Path work = Files.createTempDirectory("haproxy-load");
            Process haproxy = startHaproxy(haproxyBinary, work, jamesPort, ports);
            Map<Integer, String> sentFrom = new ConcurrentHashMap<>();
            AtomicLong failures = new AtomicLong();
            AtomicLong retries = new AtomicLong();
            List<String> failureSamples = new ArrayList<>();
            long start;
            long sent;
            try {
                awaitListening(haproxy, work, v2Port);
                awaitListening(haproxy, work, v1Port);
                for (int n = 0; n < 20; n++) {
                    deliver("127.0.0.40", n % 2 == 0 ? v2Port : v1Port, "warmup", n);
                }
                start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(sessions);
                CountDownLatch ready = new CountDownLatch(sessions);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < sessions; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> {
                        ready.countDown();
                        ready.await();
                        // ramp up over 2 s rather than one burst of connects
                        Thread.sleep(worker * 2000L / sessions);
                        for (int n = worker; n < mails; n += sessions) {
                            String client = "127.0.0." + (40 + n % CLIENT_ADDRESSES);
                            int port = n % 2 == 0 ? v2Port : v1Port;
                            long backoff = 250;
                            for (int attempt = 1; !sentFrom.containsKey(n); attempt++) {
                                try {
                                    deliver(client, port, run, n);
                                    sentFrom.put(n, client);
                                } catch (IOException e) {
                                    // Not accepted (no 250 after the data): a sender retries later, as an MTA would.
                                    // This happens when HAProxy marks James down because a health check timed out
                                    // behind the load (check every 2 s, 2 s timeout), and HAProxy then closes new
                                    // connections before James's greeting.
                                    retries.incrementAndGet();
                                    synchronized (failureSamples) {
                                        if (failureSamples.size() < 5) {
                                            failureSamples.add(n + ": " + e);
                                        }
                                    }
                                    if (attempt == MAX_ATTEMPTS) {
                                        failures.incrementAndGet();
                                        break;
                                    }
                                    Thread.sleep(backoff);
                                    backoff = Math.min(backoff * 2, 8000);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : workers) {
                    future.get();
                }
                pool.shutdown();
                sent = System.nanoTime();
            } finally {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertThat(failures.get()).as("mails never accepted after %d attempts, e.g. %s", MAX_ATTEMPTS, failureSamples).isZero();

            long deadline = System.nanoTime() + Duration.ofSeconds(Scale.LONG ? 600 : 120).toNanos();
            while (james.probe().inboxCount(JamesHarness.USER) < mails + 20 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long delivered = System.nanoTime();
            Map<Integer, Integer> copies = new HashMap<>();
            List<String> wrongClient = new ArrayList<>();
            int otherMessages = 0;
            for (String message : james.probe().inboxMessages(JamesHarness.USER)) {
                Matcher subject = SUBJECT.matcher(message);
                if (!subject.find() || !subject.group(1).startsWith("load-" + run + "-")) {
                    if (!message.contains("Subject: load-warmup-")) {
                        otherMessages++;
                    }
                    continue;
                }
                int n = Integer.parseInt(subject.group(2));
                copies.merge(n, 1, Integer::sum);
                String received = firstReceived(message);
                String version = n % 2 == 0 ? "v2" : "v1";
                if (!received.contains("([" + sentFrom.get(n) + "])") || !received.contains("(via PROXY " + version + " from [127.0.0.1])")) {
                    wrongClient.add(n + " sent from " + sentFrom.get(n) + ": " + received);
                }
            }
            long lost = mails - copies.size();
            long duplicated = copies.values().stream().filter(count -> count > 1).count();
            Figures.record("load through HAProxy", sessions + " concurrent sessions, " + mails + " mails (one connection"
                + " each, v2 and v1 frontends, " + CLIENT_ADDRESSES + " client addresses): sent in "
                + millis(sent - start) + " ms (" + String.format("%.0f", mails * 1e9 / (sent - start)) + " mails/s), all in"
                + " the INBOX " + millis(delivered - start) + " ms after the start; " + copies.size() + " delivered, "
                + lost + " lost, " + duplicated + " duplicated, " + wrongClient.size() + " with a wrong client address; "
                + retries.get() + " transactions retried (not accepted: " + failureSamples + ")");
            assertThat(otherMessages).as("unexpected messages").isZero();
            assertThat(lost).as("lost mails").isZero();
            assertThat(duplicated).as("duplicated mails").isZero();
            assertThat(wrongClient).as("mails whose Received: header names another client").isEmpty();

            LeakWatch.assertNoServerConnections(jamesPort, Duration.ofSeconds(15));
            LeakWatch.assertGaugeBackTo("smtpConnections", () -> james.probe().metric("smtpConnections"), 0, Duration.ofSeconds(15));
            leakWatch.assertNoNettyLeaks();
        }
    }

    private static void deliver(String client, int port, String run, int n) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(client, FRONTEND, port).withReplyWait(REPLY_WAIT)) {
            expect(smtp.readReply(), "220 ");
            expect(smtp.command("EHLO load-" + n + ".example"), "250");
            expect(smtp.command("MAIL FROM:<load@sender.example>"), "250");
            expect(smtp.command("RCPT TO:<" + JamesHarness.USER + ">"), "250");
            expect(smtp.command("DATA"), "354");
            expect(smtp.command("Subject: load-" + run + "-" + n + "\r\nMessage-ID: <load-" + run + "-" + n + "@client.example>\r\n"
                + "\r\nmail " + n + " from " + client + "\r\n."), "250");
            expect(smtp.command("QUIT"), "221");
        }
    }

    private static void expect(String reply, String prefix) throws IOException {
        if (!reply.startsWith(prefix)) {
            throw new IOException("expected " + prefix + "..., got " + reply);
        }
    }

    private static String firstReceived(String message) {
        int start = message.indexOf("Received:");
        if (start < 0) {
            return "(no Received:)";
        }
        int end = message.indexOf(';', start);
        return message.substring(start, end < 0 ? message.length() : end).replaceAll("\\s+", " ");
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static Process startHaproxy(Path binary, Path work, int jamesPort, int[] ports) throws IOException {
        // -n: conf/haproxy.cfg's global maxconn 8000 needs ~16 000 descriptors, more than a common ulimit -n
        // allows (haproxy then refuses to start); two descriptors per connection within the hard limit is plenty.
        long maxconn = Math.max(256, Math.min(8000, (Scale.openFilesHardLimit() - 200) / 2));
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-db", "-n", String.valueOf(maxconn),
            "-f", CONF.resolve("haproxy.cfg").toString())
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("haproxy.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SMTP_BIND", FRONTEND + ":" + ports[0]);
        env.put("SUBMISSION_BIND", FRONTEND + ":" + ports[1]);
        env.put("SMTPS_BIND", FRONTEND + ":" + ports[2]);
        env.put("SMTPS_TERMINATED_BIND", FRONTEND + ":" + ports[3]);
        env.put("JAMES_HOST", "127.0.0.1");
        for (String port : new String[] {"JAMES_SMTP_PORT", "JAMES_SMTPS_PORT", "JAMES_SUBMISSION_PORT", "JAMES_TERMINATED_PORT"}) {
            env.put(port, String.valueOf(jamesPort));
        }
        env.put("TLS_PEM", CONF.resolve("tls").resolve("haproxy.pem").toString());
        env.put("CLIENT_CA", CONF.resolve("tls").resolve("ca.crt").toString());
        return builder.start();
    }

    private static void awaitListening(Process haproxy, Path work, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(work.resolve("haproxy.log"), StandardCharsets.UTF_8));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(FRONTEND, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("haproxy does not listen on " + port);
    }
}
