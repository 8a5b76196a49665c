package dev.jamesproxy.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Strict IPv4 and IPv6 literal parsing for v1 headers, straight from bytes. Nothing is ever resolved:
 * {@code InetAddress.getByName} would look up anything that is not a literal, and it accepts forms the
 * spec forbids ({@code 1.2.3}, leading zeros, zone ids, brackets).
 */
final class AddressLiterals {
    /** Hex digit values by byte, -1 for every other byte: one load per character on the v1 hot path. */
    private static final byte[] HEX_DIGITS = new byte[256];

    static {
        Arrays.fill(HEX_DIGITS, (byte) -1);
        for (int digit = 0; digit < 16; digit++) {
            HEX_DIGITS[Character.forDigit(digit, 16)] = (byte) digit;
            HEX_DIGITS[Character.toUpperCase(Character.forDigit(digit, 16))] = (byte) digit;
        }
    }

    private AddressLiterals() {
    }

    /** Dotted quad of decimal octets 0-255 without leading zeros; null when {@code [from, to)} is not one. */
    static InetAddress ipv4(byte[] buf, int from, int to) {
        long value = ipv4Value(buf, from, to);
        return value < 0 ? null : build(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
            (byte) value});
    }

    /**
     * RFC 4291 text form: eight groups of 1-4 hex digits, at most one {@code ::}, optionally ending in a
     * dotted quad; null when {@code [from, to)} is not one. IPv4-mapped addresses stay {@link Inet6Address}.
     */
    static InetAddress ipv6(byte[] buf, int from, int to) {
        byte[] bytes = new byte[16];
        return parseIpv6(buf, from, to, bytes) ? build6(bytes) : null;
    }

    /**
     * The dotted quad in {@code [from, to)} as an unsigned 32-bit value, or -1 when it is not one: four
     * octets of 1 to 3 digits, no leading zero, at most 255, separated by single dots. One pass; each
     * digit or dot is checked when it is read.
     */
    private static long ipv4Value(byte[] buf, int from, int to) {
        long address = 0;
        int dots = 0;
        int octet = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (isDigit(b)) {
                if (digits == 3 || (digits == 1 && octet == 0)) {
                    return -1; // a fourth digit, or a digit after a leading zero
                }
                octet = octet * 10 + (b - '0');
                digits++;
            } else if (b == '.' && digits > 0 && octet <= 255 && dots < 3) {
                address = (address << 8) | octet;
                dots++;
                octet = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        if (dots != 3 || digits == 0 || octet > 255) {
            return -1;
        }
        return (address << 8) | octet;
    }

    /**
     * Writes the 16 bytes of the IPv6 literal in {@code [from, to)} into {@code into} (all zeros on
     * entry): groups go in order, and after a {@code ::} the groups that follow it are moved to the end.
     */
    private static boolean parseIpv6(byte[] buf, int from, int to, byte[] into) {
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
            int digit;
            while (position < to && (digit = hexDigit(buf[position])) >= 0) {
                value = (value << 4) | digit;
                position++;
            }
            if (position < to && buf[position] == '.') {
                long quad = count > 6 ? -1 : ipv4Value(buf, start, to);
                if (quad < 0) {
                    return false;
                }
                putGroup(into, count++, (int) (quad >>> 16));
                putGroup(into, count++, (int) quad);
                break;
            }
            int digits = position - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return false;
            }
            putGroup(into, count++, value);
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
        if (gap >= 0) {
            int tailBytes = 2 * (count - gap);
            System.arraycopy(into, 2 * gap, into, 16 - tailBytes, tailBytes);
            Arrays.fill(into, 2 * gap, 16 - tailBytes, (byte) 0);
        }
        return true;
    }

    private static void putGroup(byte[] into, int group, int value) {
        into[2 * group] = (byte) (value >>> 8);
        into[2 * group + 1] = (byte) value;
    }

    /** The value of an ASCII hex digit, or -1 (what {@code Character.digit(b, 16)} gives for a byte). */
    private static int hexDigit(byte b) {
        return HEX_DIGITS[b & 0xFF];
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
