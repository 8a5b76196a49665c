package dev.jamesproxy.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one owner of the text forms of an IP address in this project. Never does a DNS lookup. Two forms:
 * <ul>
 *   <li>{@link #of}: for people (log lines, {@code decode}, the {@code Received:} comment, error messages):
 *   dotted quad for IPv4, RFC 5952 for IPv6 ({@code 2001:db8::7}: lower case, no leading zeros, the longest
 *   run of two or more zero groups shortened to {@code ::});</li>
 *   <li>{@link #asJames}: where James compares or shows the same address in its own form, i.e. the JDK's
 *   {@code getHostAddress()} that James uses for {@code Mail.getRemoteAddr()} and its MDC {@code ip}
 *   ({@code 2001:db8:0:0:0:0:0:7}), so that Mail attributes and MDC values equal James's own.</li>
 * </ul>
 * For IPv4 the two forms are the same.
 */
public final class AddressText {
    private AddressText() {
    }

    /**
     * Parses an IPv4 dotted quad (no leading zeros) or an RFC 4291 IPv6 literal (no zone, no brackets) with
     * the same strict rules as v1 headers; empty for anything else, host names included.
     */
    public static Optional<InetAddress> parse(String text) {
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        InetAddress address = text.indexOf(':') >= 0
            ? AddressLiterals.ipv6(ascii, 0, ascii.length)
            : AddressLiterals.ipv4(ascii, 0, ascii.length);
        return Optional.ofNullable(address);
    }

    /** James's own form: {@code InetAddress.getHostAddress()}, e.g. {@code 2001:db8:0:0:0:0:0:7}. */
    public static String asJames(InetAddress address) {
        return address.getHostAddress();
    }

    /** James's own form of a socket address's IP, or its unresolved host string. */
    public static String asJames(InetSocketAddress address) {
        InetAddress inet = address.getAddress();
        return inet == null ? address.getHostString() : asJames(inet);
    }

    /** For people: {@code 192.0.2.7:25} or {@code [2001:db8::7]:25}. */
    public static String endpoint(InetSocketAddress address) {
        InetAddress inet = address.getAddress();
        if (inet == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        return inet instanceof Inet6Address ? "[" + of(inet) + "]:" + address.getPort() : of(inet) + ":" + address.getPort();
    }

    /** For people: dotted quad or RFC 5952, e.g. {@code 2001:db8::7}. */
    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
