package dev.jamesproxy.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The TLV types the PROXY v2 specification registers. Names follow the spec without the
 * {@code PP2_TYPE_} prefix, as aiosmtpd's {@code PP2_TYPENAME} does; types without a name are shown
 * as {@code xNN} (upper-case hex), see {@link #nameOf(int)}.
 */
public enum TlvType {
    ALPN(0x01),
    AUTHORITY(0x02),
    CRC32C(0x03),
    NOOP(0x04),
    UNIQUE_ID(0x05),
    SSL(0x20),
    SSL_VERSION(0x21),
    SSL_CN(0x22),
    SSL_CIPHER(0x23),
    SSL_SIG_ALG(0x24),
    SSL_KEY_ALG(0x25),
    SSL_GROUP(0x26),
    SSL_SIG_SCHEME(0x27),
    SSL_CLIENT_CERT(0x28),
    NETNS(0x30);

    /** The spec's upper bound for a UNIQUE_ID value. */
    public static final int UNIQUE_ID_MAX_LENGTH = 128;

    private static final TlvType[] BY_CODE = new TlvType[256];

    static {
        for (TlvType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    TlvType(int code) {
        this.code = code;
    }

    /** The one-byte wire code. */
    public int code() {
        return code;
    }

    /** The registered type for a code, empty when the spec names none. */
    public static Optional<TlvType> of(int code) {
        if (code < 0 || code > 0xFF) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_CODE[code]);
    }

    /** The type's name, or {@code xNN} with the code in upper-case hex when the spec names none. */
    public static String nameOf(int code) {
        TlvType type = (code >= 0 && code <= 0xFF) ? BY_CODE[code] : null;
        if (type != null) {
            return type.name();
        }
        return String.format(Locale.ROOT, "x%02X", code);
    }

    /** The code for a name given by {@link #nameOf(int)}, including {@code xNN}; empty when unknown. */
    public static Optional<Integer> codeOf(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (TlvType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type.code);
            }
        }
        if (name.length() == 3 && name.charAt(0) == 'x') {
            int high = Character.digit(name.charAt(1), 16);
            int low = Character.digit(name.charAt(2), 16);
            if (high >= 0 && low >= 0 && name.equals(nameOf(high * 16 + low))) {
                return Optional.of(high * 16 + low);
            }
        }
        return Optional.empty();
    }

    /** Types 0xE0 to 0xEF: application-specific, where the cloud vendors put their ids. */
    public static boolean isCustom(int code) {
        return code >= 0xE0 && code <= 0xEF;
    }

    /** Types 0xF0 to 0xF7: experimental, not for production use. */
    public static boolean isExperimental(int code) {
        return code >= 0xF0 && code <= 0xF7;
    }

    /** Types 0xF8 to 0xFF: reserved for future use. */
    public static boolean isFuture(int code) {
        return code >= 0xF8 && code <= 0xFF;
    }
}
