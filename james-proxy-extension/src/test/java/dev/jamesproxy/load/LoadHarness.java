package dev.jamesproxy.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;

/**
 * The load harness of BENCHMARKS.md (not a unit test). One real James (memory app) and one real HAProxy;
 * full SMTP transactions at a fixed concurrency against five variants, alternated round by round:
 * <ol type="a">
 *   <li>a plain {@code <smtpserver>};</li>
 *   <li>a {@code <proxiedsmtpserver>}, the client writing the v2 header itself;</li>
 *   <li>James's native {@code <proxyRequired>} listener, the client writing the same header;</li>
 *   <li>the proxied listener behind HAProxy ({@code send-proxy-v2});</li>
 *   <li>the plain listener behind HAProxy without PROXY;</li>
 *   <li>(f) the proxied listener of (b) with an asynchronous hook that answers after 50 ms (a reputation lookup),
 *   the client writing the header: compare with (b) at a high concurrency, where the waits must overlap;</li>
 *   <li>(g) a plain {@code <imapserver>} and (h) a {@code <proxiedimapserver>}, the client writing the v2 header:
 *   one IMAP session each (LOGIN, SELECT INBOX, LOGOUT) instead of an SMTP transaction;</li>
 *   <li>(i) the proxied listener of (b) with {@code <reverseDns>false</reverseDns>}, and (j) with
 *   {@code <mailAttributes>false</mailAttributes>} and {@code <receivedComment>false</receivedComment>}: what
 *   each of these costs per transaction.</li>
 * </ol>
 * Every variant first runs {@code --warmup} seconds (default: {@code --seconds}), round-robin, uncounted, so that
 * the JIT has compiled every variant's code before any run counts. Each variant reports its throughput, the CPU per
 * transaction of James and HAProxy, and two latencies: connect to the 220 greeting, and connect to the 221 after QUIT
 * (the whole transaction).
 * Then the heap per connection waiting for its header, with N idle connections held by a child process.
 *
 * <p>Run: {@code mvn -B -q -pl james-proxy-extension test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.jamesproxy.load.LoadHarness
 * -Dexec.args="--concurrency 16 --seconds 10 --rounds 5 --idle 10000"}
 */
public final class LoadHarness {
    private static final String RECIPIENT = JamesHarness.USER;

    private final int concurrency;
    private final int seconds;
    private final int rounds;
    private final int idle;
    private final int warmup;
    private final String only;
    private Process haproxy;

    private LoadHarness(Map<String, String> options) {
        concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        idle = Integer.parseInt(options.getOrDefault("idle", "10000"));
        warmup = Integer.parseInt(options.getOrDefault("warmup", String.valueOf(seconds)));
        only = options.getOrDefault("variants", "abcdefgh");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new LoadHarness(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Map<String, String> conf = Map.of("mailetcontainer.xml", MAILETCONTAINER_XML, "imapserver.xml", IMAPSERVER_XML);
        try (JamesHarness james = JamesHarness.start(SMTPSERVER_XML, null, conf)) {
            int plain = JamesHarness.port("load-plain");
            int proxied = JamesHarness.port("load-proxied");
            int nativeProxy = JamesHarness.port("load-native");
            int delayed = JamesHarness.port("load-proxied-50ms-hook");
            int noReverseDns = JamesHarness.port("load-proxied-no-rdns");
            int noMailFacts = JamesHarness.port("load-proxied-no-mail-facts");
            int imapPlain = JamesHarness.port("load-imap-plain");
            int imapProxied = JamesHarness.port("load-imap-proxied");
            Path work = Files.createTempDirectory("load-haproxy");
            int haproxyProxied = freePort();
            int haproxyPlain = freePort();
            haproxy = startHaproxy(work, haproxyProxied, proxied, haproxyPlain, plain);
            try {
                // The claimed client is 127.0.0.1, like the real peer of the other variants, so that every variant does the
                // same reverse DNS work for its Received: header.
                if (idle > 0) {
                    // First, on a fresh server: the load rounds leave mail and caches behind that would blur it.
                    measureIdleHeap(proxied);
                }
                byte[] header = ProxyHeaders.v2("127.0.0.1", 40000, "127.0.0.1", 25).build();
                Map<String, Variant> variants = new LinkedHashMap<>();
                variants.put("a plain", new Variant(plain, new byte[0]));
                variants.put("b proxied, client header", new Variant(proxied, header));
                variants.put("c native proxyRequired", new Variant(nativeProxy, header));
                variants.put("d proxied behind HAProxy", new Variant(haproxyProxied, new byte[0]));
                variants.put("e plain behind HAProxy", new Variant(haproxyPlain, new byte[0]));
                variants.put("f proxied, client header, 50 ms async hook", new Variant(delayed, header));
                variants.put("g plain IMAP", new Variant(imapPlain, new byte[0], true));
                variants.put("h proxied IMAP, client header", new Variant(imapProxied, header, true));
                variants.put("i proxied, client header, reverseDns false", new Variant(noReverseDns, header));
                variants.put("j proxied, client header, no mail attributes or Received comment",
                    new Variant(noMailFacts, header));
                variants.keySet().removeIf(name -> only.indexOf(name.charAt(0)) < 0);
                System.out.printf(Locale.ROOT, "concurrency %d, %d s per run, %d rounds, %d cores, %s%n",
                    concurrency, seconds, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
                for (Variant variant : variants.values()) {
                    measure(variant, warmup, false);
                }
                List<String> names = new ArrayList<>(variants.keySet());
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < names.size(); i++) {
                        String name = names.get((i + round) % names.size());
                        measure(variants.get(name), seconds, true);
                    }
                    System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
                }
                report(variants);
            } finally {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One variant's target, and what its runs measured. */
    private static final class Variant {
        final int port;
        final byte[] header;
        final boolean imap;
        final List<Double> rates = new ArrayList<>();
        final List<Long> greetingNanos = new ArrayList<>();
        final List<Long> transactionNanos = new ArrayList<>();
        final List<Double> cpuMicrosPerTransaction = new ArrayList<>();
        int failures;

        Variant(int port, byte[] header) {
            this(port, header, false);
        }

        Variant(int port, byte[] header, boolean imap) {
            this.port = port;
            this.header = header;
            this.imap = imap;
        }

        long[] runOnce(int sequence) throws IOException {
            return imap ? ImapSession.run(port, header, RECIPIENT) : SmtpTransaction.run(port, header, RECIPIENT, sequence);
        }
    }

    private void measure(Variant variant, int runSeconds, boolean record) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(runSeconds);
        AtomicInteger sequence = new AtomicInteger();
        List<Future<List<long[]>>> workers = new ArrayList<>();
        long started = System.nanoTime();
        long cpuBefore = cpuNanos();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                // One {greeting, transaction} pair per transaction; a failure is {-1, -1}.
                List<long[]> latencies = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    try {
                        latencies.add(variant.runOnce(sequence.incrementAndGet()));
                    } catch (IOException e) {
                        latencies.add(new long[] {-1, -1});
                    }
                }
                return latencies;
            }));
        }
        int transactions = 0;
        int failures = 0;
        List<Long> greetings = new ArrayList<>();
        List<Long> wholes = new ArrayList<>();
        for (Future<List<long[]>> worker : workers) {
            for (long[] latency : worker.get()) {
                if (latency[0] < 0) {
                    failures++;
                } else {
                    transactions++;
                    greetings.add(latency[0]);
                    wholes.add(latency[1]);
                }
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        // The spooler delivers the mails after their transactions: the CPU window runs until it is done, so that each
        // variant pays for its own deliveries and the next run starts on a quiet server.
        settle();
        long cpu = cpuNanos() - cpuBefore;
        if (record) {
            variant.rates.add(transactions / elapsed);
            variant.cpuMicrosPerTransaction.add(cpu / 1000.0 / Math.max(1, transactions));
            variant.greetingNanos.addAll(greetings);
            variant.transactionNanos.addAll(wholes);
            variant.failures += failures;
        }
    }

    /**
     * CPU time used so far by this JVM (James and the clients) and by HAProxy: on a shared machine, CPU per
     * transaction varies far less than transactions per second.
     */
    private long cpuNanos() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long proxy = haproxy.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        return jvm + proxy;
    }

    /** Waits until this JVM and HAProxy use less than 10 % of a core for 0.5 s (at most 60 s). */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int quietTicks = 0;
        long previous = cpuNanos();
        while (quietTicks < 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = cpuNanos();
            quietTicks = now - previous < TimeUnit.MILLISECONDS.toNanos(10) ? quietTicks + 1 : 0;
            previous = now;
        }
    }

    private void report(Map<String, Variant> variants) {
        System.out.println();
        System.out.println("| variant | tx/s (median of " + rounds + ") | runs | CPU µs/tx (median) | CPU runs | p50 connect→220 (µs)"
            + " | p99 connect→220 (µs) | p50 connect→221 (µs) | p99 connect→221 (µs) | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Double> p99s = new LinkedHashMap<>();
        Map<String, Double> wholeP99s = new LinkedHashMap<>();
        Map<String, Double> cpus = new LinkedHashMap<>();
        for (Map.Entry<String, Variant> entry : variants.entrySet()) {
            Variant variant = entry.getValue();
            double median = median(variant.rates);
            double p50 = percentile(variant.greetingNanos, 0.50) / 1000.0;
            double p99 = percentile(variant.greetingNanos, 0.99) / 1000.0;
            double wholeP50 = percentile(variant.transactionNanos, 0.50) / 1000.0;
            double wholeP99 = percentile(variant.transactionNanos, 0.99) / 1000.0;
            medians.put(entry.getKey().substring(0, 1), median);
            p99s.put(entry.getKey().substring(0, 1), p99);
            wholeP99s.put(entry.getKey().substring(0, 1), wholeP99);
            double cpu = median(variant.cpuMicrosPerTransaction);
            cpus.put(entry.getKey().substring(0, 1), cpu);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.0f | %s | %.0f | %.0f | %.0f | %.0f | %d |%n", entry.getKey(),
                median, format(variant.rates), cpu, format(variant.cpuMicrosPerTransaction), p50, p99, wholeP50, wholeP99,
                variant.failures);
        }
        System.out.println();
        ratio(medians, "b", "a", "throughput", ">= 0.97");
        ratio(wholeP99s, "b", "a", "p99 whole transaction", "<= 1.05");
        ratio(cpus, "b", "a", "CPU per transaction", "<= 1.03");
        ratio(medians, "b", "c", "throughput", ">= 1.0");
        ratio(cpus, "b", "c", "CPU per transaction", "");
        ratio(medians, "d", "e", "throughput", ">= 0.97");
        ratio(cpus, "d", "e", "CPU per transaction", "");
        ratio(medians, "f", "b", "throughput", ">= 0.9 at concurrency 64");
        ratio(medians, "h", "g", "IMAP throughput", ">= 0.97");
        ratio(cpus, "h", "g", "IMAP CPU per session", "<= 1.05");
        ratio(cpus, "i", "a", "CPU per transaction without reverse DNS", "");
        ratio(cpus, "j", "a", "CPU per transaction without mail attributes and Received comment", "");
        if (p99s.containsKey("a") && p99s.containsKey("b")) {
            System.out.printf(Locale.ROOT, "p99 connect→220 added by the header, (b) - (a) = %.0f µs%n", p99s.get("b") - p99s.get("a"));
        }
    }

    private static void ratio(Map<String, Double> values, String top, String bottom, String what, String goal) {
        if (values.containsKey(top) && values.containsKey(bottom)) {
            System.out.printf(Locale.ROOT, "%s (%s)/(%s) = %.3f%s%n", what, top, bottom, values.get(top) / values.get(bottom),
                goal.isEmpty() ? "" : "   (goal " + goal + ")");
        }
    }

    private void measureIdleHeap(int proxiedPort) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeap(memory);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Paths.get(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process clients = new ProcessBuilder(java, "-cp", classes,
            IdleClients.class.getName(), String.valueOf(proxiedPort), String.valueOf(idle))
            .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream in = clients.getOutputStream()) {
            String line = out.readLine();
            if (line == null || !line.startsWith("READY")) {
                throw new IllegalStateException("idle clients failed: " + line);
            }
            Thread.sleep(2000);
            long after = settledHeap(memory);
            // -Dload.hold=SECONDS keeps the connections open for a heap histogram (jcmd <pid> GC.class_histogram).
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.getLong("load.hold", 0)));
            System.out.printf(Locale.ROOT, "%n%d idle connections waiting for their header: heap %+.1f MiB, %.0f bytes per"
                + " connection   (goal <= 4096)%n", idle, (after - before) / 1048576.0, (after - before) / (double) idle);
        } finally {
            clients.destroy();
            clients.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            smallest = Math.min(smallest, memory.getHeapMemoryUsage().getUsed());
        }
        return smallest;
    }

    private static Process startHaproxy(Path work, int proxiedFront, int proxiedBack, int plainFront, int plainBack)
        throws Exception {
        Path config = work.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
            "global", "    maxconn 8000",
            "defaults", "    mode tcp", "    timeout connect 5s", "    timeout client 60s", "    timeout server 60s",
            "frontend proxied", "    bind 127.0.0.1:" + proxiedFront, "    default_backend proxied",
            "backend proxied", "    server james 127.0.0.1:" + proxiedBack + " send-proxy-v2",
            "frontend plain", "    bind 127.0.0.1:" + plainFront, "    default_backend plain",
            "backend plain", "    server james 127.0.0.1:" + plainBack, ""));
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
            .redirectErrorStream(true).redirectOutput(work.resolve("haproxy.log").toFile()).start();
        for (int port : new int[] {proxiedFront, plainFront}) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("haproxy did not start: " + Files.readString(work.resolve("haproxy.log")));
                    }
                    Thread.sleep(50);
                }
            }
        }
        return process;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static double percentile(List<Long> values, double fraction) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (fraction * sorted.length))];
    }

    private static String format(List<Double> rates) {
        return Arrays.toString(rates.stream().mapToLong(Math::round).toArray());
    }

    private static final String LISTENER_COMMON = String.join("\n",
        "        <bind>127.0.0.1:0</bind>",
        "        <gracefulShutdown>false</gracefulShutdown>",
        "        <connectionBacklog>1024</connectionBacklog>",
        "        <helloName autodetect=\"false\">mx.example.test</helloName>",
        "        <maxmessagesize>0</maxmessagesize>",
        "        <handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain>");

    /**
     * Every mail is accepted by SMTP, queued, spooled, goes through the transport processor and is dropped. Delivering into one mailbox would measure the
     * mailbox: James's memory app searches the whole INBOX on every delivery, so the cost per mail grows with every run
     * and the variants run later would pay more.
     */
    private static final String MAILETCONTAINER_XML = String.join("\n",
        "<?xml version=\"1.0\"?>",
        "<mailetcontainer enableJmx=\"false\">",
        "    <context><postmaster>postmaster@example.test</postmaster></context>",
        "    <spooler><threads>4</threads><errorRepository>memory://var/mail/error/</errorRepository></spooler>",
        "    <processors>",
        "        <processor state=\"root\" enableJmx=\"false\">",
        "            <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>",
        "        </processor>",
        "        <processor state=\"transport\" enableJmx=\"false\">",
        "            <mailet match=\"All\" class=\"RemoveMimeHeader\"><name>bcc</name></mailet>",
        "            <mailet match=\"All\" class=\"Null\"/>",
        "        </processor>",
        "        <processor state=\"error\" enableJmx=\"false\">",
        "            <mailet match=\"All\" class=\"Null\"/>",
        "        </processor>",
        "    </processors>",
        "</mailetcontainer>",
        "");

    private static String proxiedListener(String jmxName, String extra) {
        return String.join("\n",
            "    <proxiedsmtpserver enabled=\"true\">",
            "        <jmxName>" + jmxName + "</jmxName>",
            LISTENER_COMMON,
            "        <proxyProtocol>",
            "            <timeout>120s</timeout>",
            "            <trustedProxies>127.0.0.0/8</trustedProxies>",
            "            " + extra,
            "            <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>",
            "        </proxyProtocol>",
            "    </proxiedsmtpserver>");
    }

    private static final String IMAP_COMMON = String.join("\n",
        "        <bind>127.0.0.1:0</bind>",
        "        <gracefulShutdown>false</gracefulShutdown>",
        "        <connectionBacklog>1024</connectionBacklog>",
        "        <auth><requireSSL>false</requireSSL><plainAuthEnabled>true</plainAuthEnabled></auth>");

    private static final String IMAPSERVER_XML = String.join("\n",
        "<?xml version=\"1.0\"?>",
        "<imapservers>",
        "    <imapserver enabled=\"true\">",
        "        <jmxName>load-imap-plain</jmxName>",
        IMAP_COMMON,
        "    </imapserver>",
        "    <proxiedimapserver enabled=\"true\">",
        "        <jmxName>load-imap-proxied</jmxName>",
        IMAP_COMMON,
        "        <proxyProtocol>",
        "            <timeout>120s</timeout>",
        "            <trustedProxies>127.0.0.0/8</trustedProxies>",
        "            <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>",
        "        </proxyProtocol>",
        "    </proxiedimapserver>",
        "</imapservers>",
        "");

    private static final String SMTPSERVER_XML = String.join("\n",
        "<?xml version=\"1.0\"?>",
        "<smtpservers>",
        "    <smtpserver enabled=\"true\">",
        "        <jmxName>load-plain</jmxName>",
        LISTENER_COMMON,
        "    </smtpserver>",
        "    <smtpserver enabled=\"true\">",
        "        <jmxName>load-native</jmxName>",
        "        <proxyRequired>true</proxyRequired>",
        LISTENER_COMMON,
        "    </smtpserver>",
        "    <proxiedsmtpserver enabled=\"true\">",
        "        <jmxName>load-proxied</jmxName>",
        LISTENER_COMMON,
        "        <proxyProtocol>",
        "            <timeout>120s</timeout>",
        "            <trustedProxies>127.0.0.0/8</trustedProxies>",
        "            <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>",
        "        </proxyProtocol>",
        "    </proxiedsmtpserver>",
        proxiedListener("load-proxied-no-rdns", "<reverseDns>false</reverseDns>"),
        proxiedListener("load-proxied-no-mail-facts", "<mailAttributes>false</mailAttributes><receivedComment>false</receivedComment>"),
        "    <proxiedsmtpserver enabled=\"true\">",
        "        <jmxName>load-proxied-50ms-hook</jmxName>",
        LISTENER_COMMON,
        "        <proxyProtocol>",
        "            <timeout>120s</timeout>",
        "            <trustedProxies>127.0.0.0/8</trustedProxies>",
        "            <hook class=\"dev.jamesproxy.load.DelayedAnswerHook\"/>",
        "            <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>",
        "        </proxyProtocol>",
        "    </proxiedsmtpserver>",
        "</smtpservers>",
        "");
}
