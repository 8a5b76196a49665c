package dev.jamesproxy.protocol;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/** aiosmtpd's {@code same_attribs}, shared by {@link ProxyData} and {@link ProxyTLV}. */
final class AttributeComparison {
    private AttributeComparison() {
    }

    /**
     * @param lookup gives, for a name, empty when the attribute does not exist, else its value (empty
     *     Optional for None)
     */
    static boolean compare(boolean raises, Map<String, ?> expected,
                           Function<String, Optional<Optional<Object>>> lookup) {
        for (Map.Entry<String, ?> entry : expected.entrySet()) {
            Optional<Optional<Object>> attribute = lookup.apply(entry.getKey());
            if (attribute.isEmpty()) {
                if (raises) {
                    throw new NoSuchElementException("notfound:" + entry.getKey());
                }
                return false;
            }
            Object actual = attribute.get().orElse(null);
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
