package dev.jamesproxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.hardening.testing.LeakWatch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/** The leak check would see a leak: a buffer dropped unreleased is reported as a LEAK line (the one ERROR line this test prints is expected). */
class LeakWatchSelfTest {

    @Test
    void aBufferDroppedUnreleasedShouldBeReported() throws Exception {
        Assumptions.assumeTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID,
            "needs -Dio.netty.leakDetection.level=paranoid (the default test run sets it)");
        try (LeakWatch watch = LeakWatch.open()) {
            leakOne();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (watch.leaks().isEmpty() && System.nanoTime() < deadline) {
                LeakWatch.triggerLeakReports();
            }

            assertThat(watch.leaks()).isNotEmpty();
            assertThat(watch.leaks().get(0)).contains("LEAK: ByteBuf.release() was not called");
        }
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(32);
        leaked.writeLong(1);
    }
}
