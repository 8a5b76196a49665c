package dev.jamesproxy.protocol;

import java.util.Locale;
import java.util.Optional;

/** What the parser does with a v2 CRC32C TLV. aiosmtpd never checks it; HAProxy does. */
public enum Crc32cPolicy {
    /** Check the checksum when the header carries one; reject on mismatch. The default. */
    VERIFY,
    /** Like {@link #VERIFY}, and also reject v2 headers that carry no checksum. */
    REQUIRE,
    /** Do not compute the checksum at all. */
    IGNORE;

    /** The policy named {@code verify}, {@code require} or {@code ignore} (any case), empty otherwise. */
    public static Optional<Crc32cPolicy> fromConfig(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Crc32cPolicy policy : values()) {
            if (policy.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
