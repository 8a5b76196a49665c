package dev.jamesproxy.james.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.dnsservice.api.DNSService;
import org.junit.jupiter.api.Test;

import com.google.common.base.Ticker;

/** The listener's reverse DNS, over a scripted DNSService that records where it is called. */
class ReverseDnsTest {
    private static final Duration BOUND = Duration.ofSeconds(2);

    private final Map<String, String> threads = new ConcurrentHashMap<>();
    private final AtomicInteger ptrQueries = new AtomicInteger();

    private DNSService scripted(String ptr, List<String> forward, long delayMillis) {
        return (DNSService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DNSService.class},
            (proxy, method, arguments) -> {
                threads.put(method.getName(), Thread.currentThread().getName());
                if (method.getName().equals("getHostName")) {
                    ptrQueries.incrementAndGet();
                }
                Thread.sleep(delayMillis);
                switch (method.getName()) {
                    case "getHostName":
                        return ptr;
                    case "getAllByName":
                        List<InetAddress> addresses = new ArrayList<>();
                        for (String address : forward) {
                            addresses.add(InetAddress.getByName(address));
                        }
                        return addresses;
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });
    }

    private Optional<String> nameOf(DNSService dns, String client) throws Exception {
        return new ReverseDns(() -> dns).nameOf(InetAddress.getByName(client), BOUND).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aConfirmedNameShouldComeWithoutItsTrailingDotAndInLowerCase() throws Exception {
        assertThat(nameOf(scripted("Client7.E2E.test.", List.of("192.0.2.7"), 0), "192.0.2.7")).contains("client7.e2e.test");
    }

    @Test
    void theLookupsShouldRunOnBoundedElasticThreadsNeverOnTheCaller() throws Exception {
        nameOf(scripted("client7.e2e.test.", List.of("192.0.2.7"), 0), "192.0.2.7");

        assertThat(threads.get("getHostName")).startsWith("boundedElastic").isNotEqualTo(Thread.currentThread().getName());
        assertThat(threads.get("getAllByName")).startsWith("boundedElastic");
    }

    @Test
    void aNameThatDoesNotResolveBackShouldBeDropped() throws Exception {
        assertThat(nameOf(scripted("mail.bank.example.", List.of("198.51.100.1"), 0), "192.0.2.7")).isEmpty();
    }

    @Test
    void anAddressLiteralInsteadOfANameShouldBeDropped() throws Exception {
        assertThat(nameOf(scripted("192.0.2.7", List.of("192.0.2.7"), 0), "192.0.2.7")).isEmpty();
    }

    @Test
    void aSlowResolverShouldGiveNoNameWithinTheBound() throws Exception {
        long start = System.nanoTime();
        Optional<String> name = new ReverseDns(() -> scripted("slow.example.", List.of("192.0.2.7"), 10_000))
            .nameOf(InetAddress.getByName("192.0.2.7"), Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);

        assertThat(name).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailingResolverShouldGiveNoName() throws Exception {
        DNSService failing = (DNSService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DNSService.class},
            (proxy, method, arguments) -> {
                throw new UnknownHostException("no PTR");
            });

        assertThat(nameOf(failing, "192.0.2.7")).isEmpty();
    }

    @Test
    void aClientThatComesBackShouldBeAnsweredAtOnceWithoutAnotherQuery() throws Exception {
        ReverseDns reverseDns = new ReverseDns(() -> scripted("client7.e2e.test.", List.of("192.0.2.7"), 0));
        InetAddress client = InetAddress.getByName("192.0.2.7");
        assertThat(reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS)).contains("client7.e2e.test");

        CompletableFuture<Optional<String>> again = reverseDns.nameOf(client, BOUND);

        assertThat(again).isCompletedWithValue(Optional.of("client7.e2e.test"));
        assertThat(ptrQueries).hasValue(1);
    }

    @Test
    void connectionsOfOneClientDuringItsLookupShouldShareIt() throws Exception {
        ReverseDns reverseDns = new ReverseDns(() -> scripted("client7.e2e.test.", List.of("192.0.2.7"), 300));
        InetAddress client = InetAddress.getByName("192.0.2.7");

        CompletableFuture<Optional<String>> first = reverseDns.nameOf(client, BOUND);
        CompletableFuture<Optional<String>> second = reverseDns.nameOf(client, BOUND);

        assertThat(first.get(5, TimeUnit.SECONDS)).contains("client7.e2e.test");
        assertThat(second.get(5, TimeUnit.SECONDS)).contains("client7.e2e.test");
        assertThat(ptrQueries).hasValue(1);
    }

    @Test
    void anAnswerShouldBeAskedAgainOnceItsTimeIsOver() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Ticker clock = new Ticker() {
            @Override
            public long read() {
                return nanos.get();
            }
        };
        ReverseDns reverseDns = new ReverseDns(() -> scripted("client7.e2e.test.", List.of("192.0.2.7"), 0), clock);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS);
        nanos.addAndGet(ReverseDns.REMEMBERED.toNanos() - 1);
        reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS);
        assertThat(ptrQueries).hasValue(1);

        nanos.addAndGet(1);
        reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS);

        assertThat(ptrQueries).hasValue(2);
    }

    @Test
    void aFailedLookupShouldNotBeRemembered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        DNSService failing = (DNSService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DNSService.class},
            (proxy, method, arguments) -> {
                calls.incrementAndGet();
                throw new UnknownHostException("no PTR");
            });
        ReverseDns reverseDns = new ReverseDns(() -> failing);
        InetAddress client = InetAddress.getByName("192.0.2.7");

        assertThat(reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(reverseDns.nameOf(client, BOUND).get(5, TimeUnit.SECONDS)).isEmpty();

        assertThat(calls).hasValue(2);
    }

    @Test
    void aLookupThatOutlastsTheBoundShouldStillAnswerTheNextConnectionsAtOnce() throws Exception {
        // James's DNSService answers a DNS timeout with the address literal, after its own timeout: "no name".
        ReverseDns reverseDns = new ReverseDns(() -> scripted("192.0.2.7", List.of(), 400));
        InetAddress client = InetAddress.getByName("192.0.2.7");
        assertThat(reverseDns.nameOf(client, Duration.ofMillis(100)).get(5, TimeUnit.SECONDS)).isEmpty();

        // A connection with a longer bound, while the lookup still runs, waits for that same lookup.
        assertThat(reverseDns.nameOf(client, Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS)).isEmpty();

        CompletableFuture<Optional<String>> next = reverseDns.nameOf(client, Duration.ofMillis(100));

        assertThat(next).isCompletedWithValue(Optional.empty());
        assertThat(ptrQueries).hasValue(1);
    }
}
