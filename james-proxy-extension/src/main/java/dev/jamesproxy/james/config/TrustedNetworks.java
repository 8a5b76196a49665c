package dev.jamesproxy.james.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An immutable list of {@link Cidr}s, parsed from a comma or whitespace separated configuration value.
 *
 * <p>James's own {@code NetMatcher} was considered and not reused: it resolves host names through DNS
 * (a trust decision must not depend on DNS), it logs and drops entries it cannot parse instead of
 * failing, and it cannot tell whether two lists overlap, which the {@code direct} check needs.
 */
public final class TrustedNetworks {
    private static final TrustedNetworks NONE = new TrustedNetworks(List.of());

    private final List<Cidr> networks;

    private TrustedNetworks(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The empty list: matches nothing. */
    public static TrustedNetworks none() {
        return NONE;
    }

    /**
     * Parses {@code "10.0.0.0/8, fd00::/8 192.0.2.7"}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR or an address
     */
    public static TrustedNetworks parse(String value) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : value.split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                parsed.add(Cidr.parse(entry));
            }
        }
        return new TrustedNetworks(parsed);
    }

    /** Whether {@code address} lies in one of the networks. */
    public boolean contains(InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The first pair of overlapping networks, this list's entry first, or empty. */
    public Optional<List<Cidr>> firstOverlap(TrustedNetworks other) {
        for (Cidr mine : networks) {
            for (Cidr theirs : other.networks) {
                if (mine.overlaps(theirs)) {
                    return Optional.of(List.of(mine, theirs));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether one entry holds a whole address family, e.g. {@code 0.0.0.0/0}. */
    public boolean containsEverything() {
        return networks.stream().anyMatch(Cidr::isEverything);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public List<Cidr> networks() {
        return networks;
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}
