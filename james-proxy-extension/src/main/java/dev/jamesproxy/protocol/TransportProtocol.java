package dev.jamesproxy.protocol;

import java.util.Optional;

/**
 * The transport protocol of a PROXY header: the low nibble of the v2 byte 13 (v1 headers are always
 * STREAM, or UNSPEC for {@code UNKNOWN}). The counterpart of aiosmtpd's {@code PROTO}.
 */
public enum TransportProtocol {
    UNSPEC(0x0),
    STREAM(0x1),
    DGRAM(0x2);

    private static final TransportProtocol[] BY_CODE = values();

    private final int code;

    TransportProtocol(int code) {
        this.code = code;
    }

    /** The 4-bit wire code. */
    public int code() {
        return code;
    }

    /** The protocol for a 4-bit wire code, empty for the unassigned codes 3 to 15. */
    public static Optional<TransportProtocol> fromCode(int code) {
        return isAssigned(code) ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** True when {@code code} names a protocol: what the framer checks, without an {@code Optional} per header. */
    static boolean isAssigned(int code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** The protocol for a code that {@link #isAssigned} accepted. */
    static TransportProtocol ofAssigned(int code) {
        return BY_CODE[code];
    }
}
