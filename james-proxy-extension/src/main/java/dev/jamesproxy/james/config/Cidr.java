package dev.jamesproxy.james.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import dev.jamesproxy.protocol.AddressText;

/**
 * One network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address means a single
 * host ({@code /32} or {@code /128}). Parsing never consults DNS: only IPv4 dotted quads and IPv6
 * literals are accepted. IPv4-mapped IPv6 peers ({@code ::ffff:a.b.c.d}) match IPv4 networks.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength) {
        this.network = mask(network, prefixLength);
        this.prefixLength = prefixLength;
        this.text = toText(this.network, prefixLength);
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong and what is expected
     */
    public static Cidr parse(String value) {
        String trimmed = value.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = parseLiteral(addressPart)
            .orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not an IP address or a CIDR"
                + " (expected e.g. 10.0.0.0/8, 192.0.2.7 or fd00::/8; host names and leading zeros are not allowed)"));
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String prefixPart = trimmed.substring(slash + 1);
            if (!prefixPart.matches("[0-9]{1,3}") || Integer.parseInt(prefixPart) > maxPrefix) {
                throw new IllegalArgumentException("'" + value + "' has a bad prefix length (expected: 0-"
                    + maxPrefix + " after the '/')");
            }
            prefix = Integer.parseInt(prefixPart);
        }
        return new Cidr(address, prefix);
    }

    /** Whether {@code address} lies in this network. */
    public boolean contains(InetAddress address) {
        byte[] candidate = canonical(address.getAddress());
        if (candidate.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    /** Whether this network and {@code other} share at least one address. */
    public boolean overlaps(Cidr other) {
        if (network.length != other.network.length) {
            return false;
        }
        int shorter = Math.min(prefixLength, other.prefixLength);
        return Arrays.equals(mask(network, shorter), mask(other.network, shorter));
    }

    /** Whether this network holds every address of its family ({@code 0.0.0.0/0} or {@code ::/0}). */
    public boolean isEverything() {
        return prefixLength == 0;
    }

    private static Optional<byte[]> parseLiteral(String text) {
        // The v1 header's strict literal rules: no leading zeros ("010.0.0.1" is 8.0.0.1 to inet_aton and
        // 10.0.0.1 to others; a trust list must not be ambiguous), no host names, no zones.
        return AddressText.parse(text).map(address -> canonical(address.getAddress()));
    }

    private static byte[] canonical(byte[] address) {
        if (address.length == 16 && isIpv4Mapped(address)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address;
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] result = address.clone();
        for (int i = 0; i < result.length; i++) {
            int bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
            result[i] = (byte) (result[i] & (0xFF << (8 - bitsInByte)));
        }
        return result;
    }

    private static String toText(byte[] address, int prefix) {
        try {
            return AddressText.of(InetAddress.getByAddress(address)) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: " + address.length + "-byte address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cidr)) {
            return false;
        }
        Cidr other = (Cidr) o;
        return prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefixLength, Arrays.hashCode(network));
    }

    @Override
    public String toString() {
        return text;
    }
}
