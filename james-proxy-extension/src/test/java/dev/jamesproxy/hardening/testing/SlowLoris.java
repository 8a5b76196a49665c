package dev.jamesproxy.hardening.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@code connections} TCP connections open to a listener, each dribbling a PROXY header one byte
 * per second, from a set of local addresses; when the server closes one, another is opened in its place,
 * so the pressure stays constant. One thread and one selector for all of them. Records how long each
 * connection lived (connect to server close) and whether the server ever sent a byte.
 */
public final class SlowLoris implements AutoCloseable {
    private static final long DRIBBLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<String> localAddresses;
    private final InetSocketAddress target;
    private final int connections;
    private final byte[] header;
    private final Thread thread;
    private final List<Long> lifetimesMillis = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final CountDownLatch allOpen = new CountDownLatch(1);
    private volatile boolean replace = true;
    private volatile boolean running = true;
    private volatile int live;

    private static final class Attacker {
        final SocketChannel channel;
        long connectedAt;
        long nextByteAt;
        int position;

        Attacker(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public SlowLoris(List<String> localAddresses, InetSocketAddress target, int connections, byte[] header) {
        this.localAddresses = List.copyOf(localAddresses);
        this.target = target;
        this.connections = connections;
        this.header = header.clone();
        this.thread = new Thread(this::run, "slowloris");
        this.thread.setDaemon(true);
    }

    public SlowLoris start() {
        thread.start();
        return this;
    }

    /** Waits until all {@code connections} have been opened once. */
    public boolean awaitAllOpen(long timeout, TimeUnit unit) throws InterruptedException {
        return allOpen.await(timeout, unit);
    }

    /** Stops opening replacements; the open connections keep dribbling until the server closes them. */
    public void stopReplacing() {
        replace = false;
    }

    /** Waits until the server has closed every connection; false on timeout. */
    public boolean awaitAllClosed(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (live > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return live == 0;
    }

    public List<Long> lifetimesMillis() {
        synchronized (lifetimesMillis) {
            return new ArrayList<>(lifetimesMillis);
        }
    }

    public long opened() {
        return opened.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    public int live() {
        return live;
    }

    private void run() {
        List<Attacker> attackers = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            int rampPerTick = Math.max(1, connections / 20);
            while (running) {
                int toOpen = replace ? Math.min(rampPerTick, connections - attackers.size()) : 0;
                for (int i = 0; i < toOpen; i++) {
                    open(selector, attackers);
                }
                if (opened.get() >= connections) {
                    allOpen.countDown();
                }
                selector.select(20);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Attacker attacker = (Attacker) key.attachment();
                    if (key.isValid() && key.isConnectable()) {
                        try {
                            attacker.channel.finishConnect();
                            attacker.connectedAt = now;
                            attacker.nextByteAt = now;
                            key.interestOps(SelectionKey.OP_READ);
                        } catch (IOException e) {
                            connectFailures.incrementAndGet();
                            closeQuietly(key, attacker, attackers);
                        }
                    } else if (key.isValid() && key.isReadable()) {
                        ByteBuffer buffer = ByteBuffer.allocate(512);
                        int read;
                        try {
                            read = attacker.channel.read(buffer);
                        } catch (IOException reset) {
                            read = -1;
                        }
                        if (read > 0) {
                            bytesReceived.addAndGet(read);
                        } else if (read < 0) {
                            lifetimesMillis.add(TimeUnit.NANOSECONDS.toMillis(now - attacker.connectedAt));
                            closeQuietly(key, attacker, attackers);
                        }
                    }
                }
                selector.selectedKeys().clear();
                for (Attacker attacker : new ArrayList<>(attackers)) {
                    if (attacker.connectedAt != 0 && now >= attacker.nextByteAt) {
                        try {
                            attacker.channel.write(ByteBuffer.wrap(header, attacker.position % header.length, 1));
                            attacker.position++;
                            bytesSent.incrementAndGet();
                        } catch (IOException closedByServer) {
                            // the read side reports the close
                        }
                        attacker.nextByteAt += DRIBBLE_NANOS;
                    }
                }
                live = attackers.size();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (Attacker attacker : attackers) {
                try {
                    attacker.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            live = 0;
        }
    }

    private void open(Selector selector, List<Attacker> attackers) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(localAddresses.get((int) (opened.get() % localAddresses.size())), 0));
            Attacker attacker = new Attacker(channel);
            if (channel.connect(target)) {
                attacker.connectedAt = System.nanoTime();
                attacker.nextByteAt = attacker.connectedAt;
                channel.register(selector, SelectionKey.OP_READ, attacker);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, attacker);
            }
            attackers.add(attacker);
            opened.incrementAndGet();
        } catch (IOException e) {
            connectFailures.incrementAndGet();
        }
    }

    private static void closeQuietly(SelectionKey key, Attacker attacker, List<Attacker> attackers) {
        key.cancel();
        attackers.remove(attacker);
        try {
            attacker.channel.close();
        } catch (IOException ignored) {
            // already closed by the server
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
