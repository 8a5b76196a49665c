package dev.jamesproxy.hardening.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * The leak checks run after each hostile campaign:
 * <ul>
 *   <li>Netty buffers: Netty's {@link ResourceLeakDetector} (run with {@code -Dio.netty.leakDetection.level=paranoid},
 *   as the hardening surefire execution does) logs "LEAK: ..." for a buffer garbage-collected unreleased; an
 *   appender on its logger collects those lines, and {@link #assertNoNettyLeaks} forces collection and a report;</li>
 *   <li>threads: no thread alive that was not alive at {@link #snapshotThreads()};</li>
 *   <li>connections: no server-side TCP connection left on the listener's port (read from /proc/net/tcp),
 *   and James's {@code smtpConnections} gauge back where it was.</li>
 * </ul>
 */
public final class LeakWatch implements AutoCloseable {
    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();
    /**
     * James's Reactor elastic pools ({@code blocking-call-wrapper}, {@code boundedElastic}) start threads on
     * demand, at most 10 per core, and end them after 60 s idle: a busier campaign may leave one alive for a
     * minute. They are not counted; every other new thread is.
     */
    private static final java.util.regex.Pattern ELASTIC_POOL =
        java.util.regex.Pattern.compile("(blocking-call-wrapper|boundedElastic)-[0-9]+");

    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;
    private Set<Thread> threadsBefore = Set.of();

    private LeakWatch() {
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().contains("LEAK")) {
                    leaks.add(event.getFormattedMessage());
                }
            }
        };
        appender.setName("leak-watch");
        appender.start();
        detectorLogger().addAppender(appender);
    }

    public static LeakWatch open() {
        return new LeakWatch();
    }

    private static Logger detectorLogger() {
        return (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
    }

    /** The level the JVM runs Netty's leak detector at (paranoid in the hardening execution). */
    public static ResourceLeakDetector.Level level() {
        return ResourceLeakDetector.getLevel();
    }

    /** Whether paranoid leak detection was asked for on the command line, as the hardening execution does. */
    public static boolean paranoidRequested() {
        return "paranoid".equals(System.getProperty("io.netty.leakDetection.level", "").toLowerCase(Locale.ROOT));
    }

    /** LEAK lines seen so far. */
    public List<String> leaks() {
        return List.copyOf(leaks);
    }

    /**
     * Collects garbage, then allocates (each allocation lets the detector report what the collector found),
     * and fails on any LEAK line logged since this watch opened.
     */
    public void assertNoNettyLeaks() throws InterruptedException {
        triggerLeakReports();
        assertThat(leaks).as("Netty LEAK reports (ResourceLeakDetector at %s)", level()).isEmpty();
    }

    /** Garbage collection and fresh allocations, so that the detector reports lost buffers now. */
    public static void triggerLeakReports() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 50; i++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(64);
                pooled.release();
                ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
                heap.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(64);
                unpooled.release();
            }
        }
    }

    /** Remembers the live threads; {@link #assertNoNewThreads} compares against them. */
    public void snapshotThreads() {
        threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Waits up to {@code grace} for every thread started since the snapshot to end; fails naming the rest. */
    public void assertNoNewThreads(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> extra;
        do {
            extra = newThreads();
            if (extra.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(extra).as("threads started during the campaign and still alive").isEmpty();
    }

    private List<String> newThreads() {
        List<String> extra = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && !threadsBefore.contains(thread) && !ELASTIC_POOL.matcher(thread.getName()).matches()) {
                extra.add(thread.getName());
            }
        }
        return extra;
    }

    /**
     * Server-side TCP connections on {@code 127.0.0.1:port} (accepted by the listener and not yet closed by it:
     * SYN_RECV, ESTABLISHED or CLOSE_WAIT), from /proc/net/tcp. The local address must match exactly: a client
     * socket bound to another 127.0.0.x may get the listener's port number as its ephemeral port.
     */
    public static int openServerConnections(int port) {
        return serverConnections(port).size();
    }

    /** The server-side connections on {@code 127.0.0.1:port}: "state remote" each, e.g. "08 1000007F:A3F2". */
    public static List<String> serverConnections(int port) {
        List<String> found = new ArrayList<>();
        String local = String.format("0100007F:%04X", port);
        List<String> lines;
        try {
            lines = Files.readAllLines(Paths.get("/proc/net/tcp"));
        } catch (IOException e) {
            return found;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            String state = fields[3];
            if (fields[1].equals(local) && (state.equals("01") || state.equals("03") || state.equals("08"))) {
                found.add(state + " " + fields[2]);
            }
        }
        return found;
    }

    /** Waits up to {@code wait} until the listener on {@code port} holds no connection; fails with the count. */
    public static void assertNoServerConnections(int port, Duration wait) throws InterruptedException {
        assertNoServerConnections(port, wait, "listener");
    }

    /** As {@link #assertNoServerConnections(int, Duration)}, naming the listener in the failure. */
    public static void assertNoServerConnections(int port, Duration wait, String listener) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (openServerConnections(port) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(serverConnections(port)).as("server-side connections still open on %s port %d (state remote,"
            + " 01 ESTABLISHED, 08 CLOSE_WAIT)", listener, port).isEmpty();
    }

    /** Waits up to {@code wait} until {@code gauge} reads {@code expected}. */
    public static void assertGaugeBackTo(String name, LongSupplier gauge, long expected, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (gauge.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gauge.getAsLong()).as("%s after the campaign", name).isEqualTo(expected);
    }

    /** Open file descriptors of this process. */
    public static long openFileDescriptors() {
        try (var files = Files.list(Paths.get("/proc/self/fd"))) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        detectorLogger().detachAppender(appender);
        appender.stop();
    }

    @Override
    public String toString() {
        return leaks.stream().collect(Collectors.joining("\n"));
    }
}
