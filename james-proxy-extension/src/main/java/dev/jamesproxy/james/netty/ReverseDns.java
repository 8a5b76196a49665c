package dev.jamesproxy.james.netty;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.james.dnsservice.api.DNSService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import dev.jamesproxy.protocol.AddressText;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The client's host name, looked up while the connection is held, through James's {@link DNSService} (the servers of
 * {@code dnsservice.xml}) on Reactor's {@code boundedElastic} threads, never on an event loop. A name counts only when
 * it is forward-confirmed: one of its addresses, again through James's DNSService, is the client's (what the JDK's
 * {@code InetAddress.getHostName()} checks too). No name, no confirmation, an error or the time bound: empty, and
 * James shows the IP literal, as it does when the JDK's own lookup fails.
 *
 * <p>An answer (a name or none) is remembered for {@link #REMEMBERED} per client address, for at most
 * {@link #MAX_CLIENTS} addresses, and connections of one client that arrive while its lookup runs share it: a client
 * that comes back, as mail servers and mail clients do, is answered at once, without the hop to a DNS thread and
 * back. A lookup that outlasts a connection's bound goes on, and its answer serves the next connection; a lookup that
 * fails is not remembered (James's DNSService itself turns a DNS timeout into "no name", which is).
 */
public final class ReverseDns {
    /** How long an answer is reused; the JDK keeps a resolved name for as long ({@code networkaddress.cache.ttl}). */
    static final Duration REMEMBERED = Duration.ofSeconds(30);
    /** At most this many client addresses are remembered (about 2 MB). */
    static final int MAX_CLIENTS = 10_000;

    private static final Logger LOGGER = LoggerFactory.getLogger(ReverseDns.class);

    private final Supplier<DNSService> dnsService;
    private final Cache<InetAddress, CompletableFuture<Optional<String>>> answers;

    /** @param dnsService James's DNS service, fetched on the first lookup */
    public ReverseDns(Supplier<DNSService> dnsService) {
        this(dnsService, Ticker.systemTicker());
    }

    ReverseDns(Supplier<DNSService> dnsService, Ticker ticker) {
        this.dnsService = dnsService;
        this.answers = CacheBuilder.newBuilder()
            .maximumSize(MAX_CLIENTS)
            .expireAfterWrite(REMEMBERED.toMillis(), TimeUnit.MILLISECONDS)
            .ticker(ticker)
            .build();
    }

    /**
     * The confirmed PTR name of {@code client}, without a trailing dot, within {@code bound}; never fails. Already
     * complete when the answer is remembered.
     */
    CompletableFuture<Optional<String>> nameOf(InetAddress client, Duration bound) {
        CompletableFuture<Optional<String>> started = new CompletableFuture<>();
        CompletableFuture<Optional<String>> shared = answers.asMap().putIfAbsent(client, started);
        if (shared == null) {
            shared = started;
            start(client, started);
        }
        if (shared.isDone()) {
            return shared;
        }
        return shared.copy().completeOnTimeout(Optional.empty(), bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void start(InetAddress client, CompletableFuture<Optional<String>> answer) {
        Mono.fromCallable(() -> lookup(client))
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe(answer::complete, failure -> {
                LOGGER.debug("Reverse DNS of {} gave no name: {}", AddressText.of(client), failure.toString());
                answers.asMap().remove(client, answer);
                answer.complete(Optional.empty());
            });
    }

    private Optional<String> lookup(InetAddress client) throws Exception {
        DNSService dns = dnsService.get();
        String name = stripTrailingDot(dns.getHostName(client)).toLowerCase(Locale.ROOT);
        if (name.isEmpty() || AddressText.parse(name).isPresent()) {
            return Optional.empty();
        }
        Collection<InetAddress> addresses = dns.getAllByName(name);
        return addresses.contains(client) ? Optional.of(name) : Optional.empty();
    }

    private static String stripTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
