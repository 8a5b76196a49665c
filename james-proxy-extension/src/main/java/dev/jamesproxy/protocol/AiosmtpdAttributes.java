package dev.jamesproxy.protocol;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * aiosmtpd's {@code same_attribs} for {@link ProxyData} and {@link ProxyTLV}: the attributes under
 * aiosmtpd's names, and its comparison rules. Compatibility code only; the values keep their Java API.
 */
final class AiosmtpdAttributes {
    /** What a lookup returns for a name that is no attribute; {@code null} is an attribute that is None. */
    private static final Object NOT_FOUND = new Object();

    private AiosmtpdAttributes() {
    }

    /** {@link ProxyData#sameAttribs}. */
    static boolean sameAttribs(ProxyData data, boolean raises, Map<String, ?> expected) {
        return compare(raises, expected, name -> attribute(data, name));
    }

    /** {@link ProxyTLV#sameAttribs}: the view's names are the attributes. */
    static boolean sameAttribs(ProxyTLV tlv, boolean raises, Map<String, ?> expected) {
        Map<String, Object> values = tlv.asMap();
        return compare(raises, expected, name -> values.containsKey(name) ? values.get(name) : NOT_FOUND);
    }

    /** The attribute named as in aiosmtpd, {@code null} for None, {@link #NOT_FOUND} for an unknown name. */
    private static Object attribute(ProxyData data, String name) {
        switch (name) {
            case "version":
                return data.version().isPresent() ? data.version().getAsInt() : null;
            case "command":
                return data.command().orElse(null);
            case "family":
                return data.family().orElse(null);
            case "protocol":
                return data.protocol().orElse(null);
            case "src_addr":
                return data.sourceAddress().isPresent() ? data.sourceAddress().get() : data.sourcePath().orElse(null);
            case "dst_addr":
                return data.destinationAddress().isPresent()
                    ? data.destinationAddress().get() : data.destinationPath().orElse(null);
            case "src_port":
                return data.sourcePort().isPresent() ? data.sourcePort().getAsInt() : null;
            case "dst_port":
                return data.destinationPort().isPresent() ? data.destinationPort().getAsInt() : null;
            case "rest":
                return data.rest();
            case "whole_raw":
                return data.wholeRaw();
            case "tlv_start":
                return data.tlvStart().isPresent() ? data.tlvStart().getAsInt() : null;
            case "tlv":
                return data.tlv().orElse(null);
            case "error":
                return data.error();
            case "valid":
                return data.isValid();
            default:
                return NOT_FOUND;
        }
    }

    private static boolean compare(boolean raises, Map<String, ?> expected, Function<String, Object> lookup) {
        for (Map.Entry<String, ?> entry : expected.entrySet()) {
            Object actual = lookup.apply(entry.getKey());
            if (actual == NOT_FOUND) {
                if (raises) {
                    throw new NoSuchElementException("notfound:" + entry.getKey());
                }
                return false;
            }
            if (!matches(actual, entry.getValue())) {
                if (raises) {
                    throw new IllegalArgumentException("mismatch:" + entry.getKey() + " actual=" + show(actual)
                        + " expect=" + show(entry.getValue()));
                }
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Object actual, Object expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        if (actual instanceof byte[] && expected instanceof byte[]) {
            return Arrays.equals((byte[]) actual, (byte[]) expected);
        }
        if (actual instanceof InetAddress && expected instanceof String) {
            return AddressText.of((InetAddress) actual).equals(expected)
                || ((InetAddress) actual).getHostAddress().equals(expected);
        }
        if (actual instanceof Enum && expected instanceof Number) {
            return wireCode((Enum<?>) actual) == ((Number) expected).intValue();
        }
        if (actual instanceof Number && expected instanceof Number) {
            return ((Number) actual).longValue() == ((Number) expected).longValue();
        }
        return actual.equals(expected);
    }

    private static int wireCode(Enum<?> value) {
        if (value instanceof AddressFamily) {
            return ((AddressFamily) value).code();
        }
        if (value instanceof TransportProtocol) {
            return ((TransportProtocol) value).code();
        }
        if (value instanceof Command) {
            return ((Command) value).code();
        }
        return -1;
    }

    private static String show(Object value) {
        if (value instanceof byte[]) {
            return Hex.encode((byte[]) value);
        }
        if (value instanceof InetAddress) {
            return AddressText.of((InetAddress) value);
        }
        return String.valueOf(value);
    }
}
