package dev.jamesproxy.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IPv4 and IPv6 literal parsing for v1 headers, straight from bytes. Nothing is ever resolved:
 * {@code InetAddress.getByName} would look up anything that is not a literal, and it accepts forms the
 * spec forbids ({@code 1.2.3}, leading zeros, zone ids, brackets).
 */
final class AddressLiterals {
    private AddressLiterals() {
    }

    /** Dotted quad of decimal octets 0-255 without leading zeros; null when {@code [from, to)} is not one. */
    static InetAddress ipv4(byte[] buf, int from, int to) {
        byte[] octets = new byte[4];
        return parseIpv4(buf, from, to, octets, 0) ? build(octets) : null;
    }

    /**
     * RFC 4291 text form: eight groups of 1-4 hex digits, at most one {@code ::}, optionally ending in a
     * dotted quad; null when {@code [from, to)} is not one. IPv4-mapped addresses stay {@link Inet6Address}.
     */
    static InetAddress ipv6(byte[] buf, int from, int to) {
        byte[] bytes = new byte[16];
        return parseIpv6(buf, from, to, bytes) ? build6(bytes) : null;
    }

    private static boolean parseIpv4(byte[] buf, int from, int to, byte[] into, int at) {
        int position = from;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (position >= to || buf[position] != '.') {
                    return false;
                }
                position++;
            }
            int start = position;
            int value = 0;
            while (position < to && isDigit(buf[position]) && position - start < 3) {
                value = value * 10 + (buf[position] - '0');
                position++;
            }
            int digits = position - start;
            if (digits == 0 || value > 255 || (digits > 1 && buf[start] == '0')) {
                return false;
            }
            into[at + octet] = (byte) value;
        }
        return position == to;
    }

    private static boolean parseIpv6(byte[] buf, int from, int to, byte[] into) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int position = from;
        if (to - from >= 2 && buf[from] == ':' && buf[from + 1] == ':') {
            gap = 0;
            position += 2;
        } else if (position < to && buf[position] == ':') {
            return false;
        }
        while (position < to) {
            int start = position;
            int value = 0;
            while (position < to && Character.digit(buf[position], 16) >= 0) {
                value = (value << 4) | Character.digit(buf[position], 16);
                position++;
            }
            if (position < to && buf[position] == '.') {
                if (count > 6) {
                    return false;
                }
                byte[] quad = new byte[4];
                if (!parseIpv4(buf, start, to, quad, 0)) {
                    return false;
                }
                groups[count++] = ((quad[0] & 0xFF) << 8) | (quad[1] & 0xFF);
                groups[count++] = ((quad[2] & 0xFF) << 8) | (quad[3] & 0xFF);
                position = to;
                break;
            }
            int digits = position - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return false;
            }
            groups[count++] = value;
            if (position == to) {
                break;
            }
            if (buf[position] != ':') {
                return false;
            }
            position++;
            if (position < to && buf[position] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                position++;
            } else if (position == to) {
                return false;
            }
        }
        if (gap >= 0 ? count > 7 : count != 8) {
            return false;
        }
        int tail = gap >= 0 ? count - gap : 0;
        for (int i = 0; i < count; i++) {
            int slot = (gap >= 0 && i >= gap) ? 8 - tail + (i - gap) : i;
            into[2 * slot] = (byte) (groups[i] >>> 8);
            into[2 * slot + 1] = (byte) groups[i];
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static InetAddress build(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 bytes is a valid IPv4 address length", impossible);
        }
    }

    private static InetAddress build6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes is a valid IPv6 address length", impossible);
        }
    }

    /** IPv4 from 4 wire bytes at {@code offset}. */
    static InetAddress ipv4At(byte[] buf, int offset) {
        byte[] octets = new byte[4];
        System.arraycopy(buf, offset, octets, 0, 4);
        return build(octets);
    }

    /** IPv6 from 16 wire bytes at {@code offset}, keeping IPv4-mapped addresses as IPv6. */
    static InetAddress ipv6At(byte[] buf, int offset) {
        byte[] bytes = new byte[16];
        System.arraycopy(buf, offset, bytes, 0, 16);
        return build6(bytes);
    }
}
