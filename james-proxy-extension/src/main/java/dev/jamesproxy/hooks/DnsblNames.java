package dev.jamesproxy.hooks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** The DNS names a blocklist is asked (RFC 5782 section 2.1 for IPv4, 2.4 for IPv6). Never resolves anything. */
final class DnsblNames {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private DnsblNames() {
    }

    /**
     * The address to look up: an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}, which a PROXY v2 TCP6 header
     * may carry) is the IPv4 client it stands for, listed under its IPv4 name.
     */
    static InetAddress lookupAddress(InetAddress client) {
        byte[] bytes = client.getAddress();
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            try {
                return Inet4Address.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return client;
    }

    /**
     * {@code 7.2.0.192.zone.} for 192.0.2.7; for IPv6 the 32 nibbles in reverse order, lower case
     * ({@code 1.0.0.0. ... .8.b.d.0.1.0.0.2.zone.} for 2001:db8::1). Absolute (trailing dot), so that no resolver
     * appends a search domain to it.
     */
    static String query(InetAddress address, String zone) {
        byte[] bytes = address.getAddress();
        StringBuilder name = new StringBuilder(bytes.length == 4 ? 16 + zone.length() : 64 + zone.length());
        for (int i = bytes.length - 1; i >= 0; i--) {
            int value = bytes[i] & 0xff;
            if (bytes.length == 4) {
                name.append(value).append('.');
            } else {
                name.append(HEX[value & 0xf]).append('.').append(HEX[value >> 4]).append('.');
            }
        }
        return name.append(zone).append('.').toString();
    }
}
