package dev.jamesproxy.hooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.net.InetAddresses;
import com.google.inject.Inject;

import dev.jamesproxy.james.AsyncProxyHook;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.ProxyData;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Denies clients listed on DNS blocklists (DNSBLs, RFC 5782), like Postfix's postscreen with
 * {@code postscreen_dnsbl_sites} and {@code postscreen_dnsbl_threshold}; otherwise DECLINED, so a later hook decides:
 * <pre>{@code
 * <hook class="dev.jamesproxy.hooks.DnsBlocklist">
 *   <zone weight="2">zen.spamhaus.org</zone>   one or more; weight optional, a whole number >= 1, default 1
 *   <zone>bl.spamcop.net</zone>
 *   <threshold>2</threshold>                     optional, default 1: deny when the listing zones' weights reach it
 *   <timeout>2s</timeout>                        optional, default 2s: per lookup; a number alone means seconds
 *   <reply>554 5.7.1 Listed, see https://www.example.net/rbl</reply>
 *       optional, sent as written; 4xx denies softly (DENYSOFT), 5xx denies (DENY). Default:
 *       554 5.7.1 Service unavailable; client [192.0.2.7] blocked using zen.spamhaus.org
 * </hook>
 * <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>
 * }</pre>
 *
 * <h2>Lookups</h2>
 * The client is the PROXY header's source. Each zone is asked at once, in parallel, for the A records of the client's
 * reversed address under the zone: {@code 7.2.0.192.zen.spamhaus.org.} for 192.0.2.7, the 32 reversed nibbles for an
 * IPv6 address; an IPv4-mapped IPv6 client ({@code ::ffff:192.0.2.7}) is looked up, and named in the reply, as IPv4.
 * Names are absolute, so no search domain is appended. The lookups go through James's {@link DNSService} (the
 * servers of {@code dnsservice.xml}), on Reactor's {@code boundedElastic} threads, never on the event loop. Headers
 * without a client address (LOCAL health checks, v1 UNKNOWN, UNIX) are DECLINED without a lookup.
 *
 * <h2>Verdict</h2>
 * A zone lists the client when one of its A records lies in 127.0.0.0/8, except 127.255.255.0/24: there blocklists
 * put the codes of a refused query (Spamhaus: 127.255.255.254 for queries through a public resolver,
 * 127.255.255.255 for too many queries). The hook waits for every zone, then adds the weights of the listing zones;
 * when the sum reaches {@code <threshold>}, it denies. The default reply names the zone, in configuration order,
 * whose weight made the sum reach the threshold: list the zones you would rather name first.
 *
 * <h2>Failures count as not listed</h2>
 * The hook fails open, as postscreen does. A zone that does not answer within {@code <timeout>} counts as not
 * listed, is logged (WARN, with zone and client) and counted in {@value #LOOKUP_TIMEOUTS}. So are a refusal code,
 * an answer outside 127.0.0.0/8 (a resolver that rewrites unknown names) and an unexpected exception of the
 * DNSService, counted in {@value #LOOKUP_ERRORS}. James's {@code DNSService} reports a SERVFAIL, and its own give-up
 * after 10 s, as an unknown name: those count as not listed without a warning. Denials are counted in
 * {@value #DENIED}. Keep {@code <timeout>} below the listener's {@code <timeout>}, which bounds the header and all
 * hooks together and rejects the connection when it fires; values above 10 s gain nothing with James's resolver.
 */
public class DnsBlocklist implements AsyncProxyHook {
    /** Lookups that did not finish within {@code <timeout>}. */
    public static final String LOOKUP_TIMEOUTS = "proxyProtocol.dnsBlocklist.lookupTimeouts";
    /** Lookups answered with a refusal code or a non-127 address, or failed with an unexpected exception. */
    public static final String LOOKUP_ERRORS = "proxyProtocol.dnsBlocklist.lookupErrors";
    /** Connections denied because their score reached the threshold. */
    public static final String DENIED = "proxyProtocol.dnsBlocklist.denied";

    private static final Logger LOGGER = LoggerFactory.getLogger(DnsBlocklist.class);

    private final DNSService dnsService;
    private final Metric timeouts;
    private final Metric errors;
    private final Metric denied;
    private volatile DnsBlocklistConfig config;

    @Inject
    public DnsBlocklist(DNSService dnsService, MetricFactory metricFactory) {
        this.dnsService = dnsService;
        this.timeouts = metricFactory.generate(LOOKUP_TIMEOUTS);
        this.errors = metricFactory.generate(LOOKUP_ERRORS);
        this.denied = metricFactory.generate(DENIED);
    }

    @Override
    public void init(HierarchicalConfiguration<ImmutableNode> hookConfig) throws ConfigurationException {
        config = DnsBlocklistConfig.parse(hookConfig);
    }

    @Override
    public CompletionStage<HookResult> doProxyAsync(ProxyConnection connection, ProxyData header) {
        DnsBlocklistConfig current = config;
        if (current == null) {
            throw new IllegalStateException("DnsBlocklist.init was not called");
        }
        InetAddress client = connection.clientAddress().getAddress();
        if (!header.hasClientAddress() || client == null) {
            return CompletableFuture.completedFuture(HookResult.DECLINED);
        }
        InetAddress address = DnsblNames.lookupAddress(client);
        List<Mono<Boolean>> lookups = current.zones.stream()
            .map(zone -> isListed(zone, address, current))
            .collect(Collectors.toList());
        return Mono.zip(lookups, listed -> verdict(current, address, listed)).toFuture();
    }

    /** Emits exactly one value: true when the zone lists the address; false when not, or on any failure. */
    private Mono<Boolean> isListed(DnsBlocklistConfig.Zone zone, InetAddress address, DnsBlocklistConfig current) {
        String name = DnsblNames.query(address, zone.name);
        return Mono.fromCallable(() -> aRecords(name))
            .subscribeOn(Schedulers.boundedElastic())
            .timeout(current.timeout)
            .map(answers -> judge(zone, address, answers))
            .onErrorResume(TimeoutException.class, e -> {
                timeouts.increment();
                LOGGER.warn("DNS blocklist {} did not answer within {} ms for client {}: counted as not listed",
                    zone.name, current.timeout.toMillis(), ip(address));
                return Mono.just(false);
            })
            .onErrorResume(e -> {
                errors.increment();
                LOGGER.warn("DNS blocklist {} lookup failed for client {}: counted as not listed", zone.name, ip(address), e);
                return Mono.just(false);
            });
    }

    private Collection<InetAddress> aRecords(String name) {
        try {
            Collection<InetAddress> answers = dnsService.getAllByName(name);
            return answers == null ? List.of() : answers;
        } catch (UnknownHostException notListed) {
            return List.of();
        }
    }

    private boolean judge(DnsBlocklistConfig.Zone zone, InetAddress address, Collection<InetAddress> answers) {
        if (answers.isEmpty()) {
            return false;
        }
        if (answers.stream().anyMatch(DnsBlocklist::isListing)) {
            return true;
        }
        errors.increment();
        LOGGER.warn("DNS blocklist {} answered {} for client {}: not a listing (127.255.255.x refuses the query, an"
            + " address outside 127.0.0.0/8 comes from a resolver that rewrites unknown names); counted as not listed",
            zone.name, answers.stream().map(DnsBlocklist::ip).collect(Collectors.toList()), ip(address));
        return false;
    }

    /** In 127.0.0.0/8, outside 127.255.255.0/24. */
    private static boolean isListing(InetAddress answer) {
        byte[] bytes = answer.getAddress();
        return bytes.length == 4 && bytes[0] == 127 && !(bytes[1] == (byte) 255 && bytes[2] == (byte) 255);
    }

    private HookResult verdict(DnsBlocklistConfig current, InetAddress address, Object[] listed) {
        long score = 0;
        DnsBlocklistConfig.Zone decisive = null;
        List<String> listing = new ArrayList<>();
        for (int i = 0; i < listed.length; i++) {
            if (Boolean.TRUE.equals(listed[i])) {
                DnsBlocklistConfig.Zone zone = current.zones.get(i);
                listing.add(zone.name);
                score += zone.weight;
                if (decisive == null && score >= current.threshold) {
                    decisive = zone;
                }
            }
        }
        if (decisive == null) {
            LOGGER.debug("Client {} listed on {} (score {}, threshold {}): not denied", ip(address), listing, score,
                current.threshold);
            return HookResult.DECLINED;
        }
        denied.increment();
        LOGGER.info("Client {} listed on {} (score {}, threshold {}): denied", ip(address), listing, score,
            current.threshold);
        String zone = decisive.name;
        return current.reply.orElseGet(() -> defaultReply(address, zone));
    }

    private static HookResult defaultReply(InetAddress address, String zone) {
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("554")
            .smtpDescription("5.7.1 Service unavailable; client [" + ip(address) + "] blocked using " + zone)
            .build();
    }

    /** {@code 192.0.2.7} or {@code 2001:db8::7} (RFC 5952). */
    private static String ip(InetAddress address) {
        return InetAddresses.toAddrString(address);
    }
}
