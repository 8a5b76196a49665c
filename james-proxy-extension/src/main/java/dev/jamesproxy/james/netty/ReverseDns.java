package dev.jamesproxy.james.netty;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.james.dnsservice.api.DNSService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.protocol.AddressText;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The client's host name, looked up while the connection is held, through James's {@link DNSService} (the servers of
 * {@code dnsservice.xml}) on Reactor's {@code boundedElastic} threads, never on an event loop. A name counts only when
 * it is forward-confirmed: one of its addresses, again through James's DNSService, is the client's (what the JDK's
 * {@code InetAddress.getHostName()} checks too). No name, no confirmation, an error or the time bound: empty, and
 * James shows the IP literal, as it does when the JDK's own lookup fails.
 */
public final class ReverseDns {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReverseDns.class);

    private final Supplier<DNSService> dnsService;

    /** @param dnsService James's DNS service, fetched on the first lookup */
    public ReverseDns(Supplier<DNSService> dnsService) {
        this.dnsService = dnsService;
    }

    /** The confirmed PTR name of {@code client}, without a trailing dot, within {@code bound}; never fails. */
    CompletableFuture<Optional<String>> nameOf(InetAddress client, Duration bound) {
        return Mono.fromCallable(() -> lookup(client))
            .subscribeOn(Schedulers.boundedElastic())
            .timeout(bound)
            .onErrorResume(e -> {
                LOGGER.debug("Reverse DNS of {} gave no name: {}", AddressText.of(client), e.toString());
                return Mono.just(Optional.empty());
            })
            .toFuture();
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
