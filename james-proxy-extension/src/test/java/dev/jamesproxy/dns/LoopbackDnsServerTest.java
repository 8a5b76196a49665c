package dev.jamesproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.jamesproxy.dns.testing.JamesDnsService;
import dev.jamesproxy.dns.testing.LoopbackDnsServer;

/** The fixture itself, through James's real resolver: what it serves, what it refuses, how silent zones hang. */
@ExtendWith(LoopbackDnsServer.PrintLogOnFailure.class)
class LoopbackDnsServerTest {
    private static LoopbackDnsServer server;
    private static DNSJavaService james;

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackDnsServer.builder()
            .a("2.0.0.127.bl.test", "127.0.0.2")
            .a("two.e2e.test", "192.0.2.1")
            .a("two.e2e.test", "192.0.2.2")
            .ptr("203.0.113.7", "client7.e2e.test")
            .ptr("2001:db8::7", "client7v6.e2e.test")
            .txt("2.0.0.127.bl.test", "listed for tests")
            .silentZone("slow.test")
            .start();
        james = JamesDnsService.pointedAt(server, new RecordingMetricFactory());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRecordsShouldBeServed() throws Exception {
        assertThat(james.getByName("2.0.0.127.bl.test").getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(james.getAllByName("2.0.0.127.bl.test.")).extracting(InetAddress::getHostAddress)
            .containsExactly("127.0.0.2");
        assertThat(james.getAllByName("two.e2e.test")).extracting(InetAddress::getHostAddress)
            .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    }

    @Test
    void otherNamesShouldNotExist() {
        assertThatThrownBy(() -> james.getByName("3.0.0.127.bl.test")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> james.getByName("www.example.com")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void ptrRecordsShouldBeServedWithJamesTrailingDot() throws Exception {
        assertThat(james.getHostName(InetAddress.getByName("203.0.113.7"))).isEqualTo("client7.e2e.test.");
        assertThat(james.getHostName(InetAddress.getByName("2001:db8::7"))).isEqualTo("client7v6.e2e.test.");
        assertThat(james.getHostName(InetAddress.getByName("203.0.113.8"))).isEqualTo("203.0.113.8");
    }

    @Test
    void txtRecordsShouldBeServed() {
        assertThat(james.findTXTRecords("2.0.0.127.bl.test")).containsExactly("\"listed for tests\"");
    }

    /**
     * Also pins what JamesDnsService documents: for an absolute name James's resolver gives up after about 10 s, and
     * reports it as an unknown name.
     */
    @Test
    void silentZoneShouldHangUntilJamesResolverGivesUp() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            int before = server.silentQueries();
            long start = System.nanoTime();
            CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
                try {
                    return james.getByName("2.0.0.127.slow.test.");
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);

            assertThatThrownBy(() -> lookup.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(server.silentQueries()).isGreaterThan(before);
            assertThatThrownBy(() -> lookup.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(UnknownHostException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aSecondServerShouldFallBackToAnotherAddressAndCloseShouldFreeIt() {
        String second;
        try (LoopbackDnsServer other = LoopbackDnsServer.builder().a("x.e2e.test", "192.0.2.9").start()) {
            second = other.address();
            assertThat(second).isNotEqualTo(server.address());
            assertThat(other.output()).contains("started");
        }
        try (LoopbackDnsServer again = LoopbackDnsServer.builder().address(second).start()) {
            assertThat(again.address()).isEqualTo(second);
        }
    }

    /** Not started: init() would make it dnsjava's JVM-wide default, which a whole James test wants, this one not. */
    @Test
    void dnsServiceXmlShouldAskOnlyTheLoopbackServer() throws Exception {
        DNSJavaService configured = new DNSJavaService(new RecordingMetricFactory());
        configured.configure(FileConfigurationProvider.getConfig(new ByteArrayInputStream(
            JamesDnsService.dnsServiceXml(server).getBytes(StandardCharsets.UTF_8))));

        assertThat(configured.getDNSServers()).containsExactly(server.address());
        assertThat(configured.getSearchPaths()).isEmpty();
    }
}
