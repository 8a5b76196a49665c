package dev.jamesproxy.james.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.jamesproxy.james.SlowHook;
import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.SmtpClient;

/**
 * Asynchronous hooks on a real James listener with a single event loop (smtpserver-async.xml): a hook that waits
 * holds only its own connection; a hook that never answers, fails, or outlives its peer leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncAdmissionTest {
    private static final String PROXY = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private JamesHarness james;
    private int port;

    @BeforeAll
    void startJames() throws Exception {
        String xml = new String(getClass().getResourceAsStream("/smtpserver-async.xml").readAllBytes(), StandardCharsets.UTF_8);
        james = JamesHarness.start(xml);
        port = JamesHarness.port("proxied-async");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private static byte[] v1(String client) {
        return ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.25", 25);
    }

    @Test
    void aSleepingHookShouldNotDelayOtherConnectionsOnTheSameEventLoop() throws Exception {
        try (SmtpClient slow = SmtpClient.connect(PROXY, port); SmtpClient quick = SmtpClient.connect(PROXY, port)) {
            slow.send(v1(SlowHook.SLEEPS));
            quick.send(v1("203.0.113.90"));

            // Order, not timing: the quick client is greeted while the slow one's hook still sleeps.
            assertThat(quick.readReply()).startsWith("220 ");
            assertThat(slow.receiveWithin(Duration.ofMillis(200))).as("the slow client, still held").isEmpty();
            assertThat(slow.withReplyWait(WAIT).readReply()).startsWith("220 ");
        }
        assertThat(SlowHook.CALLED_ON.get(SlowHook.SLEEPS)).isEqualTo(SlowHook.CALLED_ON.get("203.0.113.90"));
        assertThat(SlowHook.SLEPT_ON.get(SlowHook.SLEEPS)).as("the sleep ran off the event loop")
            .startsWith("boundedElastic").isNotEqualTo(SlowHook.CALLED_ON.get(SlowHook.SLEEPS));
    }

    @Test
    void aHookThatNeverAnswersShouldBeCancelledAndTheConnectionClosedSilentlyAtTheTimeout() throws Exception {
        long before = james.probe().metric("proxyProtocol.rejected.hookTimeout");
        try (SmtpClient client = SmtpClient.connect(PROXY, port)) {
            client.send(v1(SlowHook.NEVER_ANSWERS));

            assertThat(client.readUntilClosed(WAIT)).isEmpty();
        }
        assertThat(james.probe().metric("proxyProtocol.rejected.hookTimeout")).isEqualTo(before + 1);
        assertThat(james.probe().metric("proxyProtocol.smtp.rejected.hookTimeout")).isGreaterThanOrEqualTo(before + 1);
        assertThat(SlowHook.CANCELLED.get(SlowHook.NEVER_ANSWERS)).isTrue();
    }

    @Test
    void aHookWhoseStageFailsShouldRejectWithoutAByte() throws Exception {
        long before = james.probe().metric("proxyProtocol.rejected.hook");
        try (SmtpClient client = SmtpClient.connect(PROXY, port)) {
            client.send(v1(SlowHook.FAILS));

            assertThat(client.readUntilClosed(WAIT)).isEmpty();
        }
        assertThat(james.probe().metric("proxyProtocol.rejected.hook")).isEqualTo(before + 1);
    }

    @Test
    void aPeerThatClosesWhileAHookRunsShouldCancelItAndBeCountedAsAbandoned() throws Exception {
        String client = SlowHook.NEVER_ANSWERS;
        SlowHook.CANCELLED.remove(client);
        long before = james.probe().metric("proxyProtocol.abandoned");
        try (SmtpClient peer = SmtpClient.connect(PROXY, port)) {
            peer.send(v1(client));
            assertThat(peer.receiveWithin(Duration.ofMillis(300))).isEmpty();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!SlowHook.CANCELLED.containsKey(client) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(SlowHook.CANCELLED.get(client)).as("cancelled when the peer left, before the 3 s timeout").isTrue();
        assertThat(james.probe().metric("proxyProtocol.abandoned")).isEqualTo(before + 1);
    }
}
