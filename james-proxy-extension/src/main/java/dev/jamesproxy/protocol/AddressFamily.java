package dev.jamesproxy.protocol;

import java.util.Optional;

/**
 * The address family of a PROXY header: the high nibble of the v2 byte 13, or the v1 protocol token.
 * The counterpart of aiosmtpd's {@code AF}.
 */
public enum AddressFamily {
    UNSPEC(0x0, 0),
    INET(0x1, 12),
    INET6(0x2, 36),
    UNIX(0x3, 216);

    private static final AddressFamily[] BY_CODE = values();

    private final int code;
    private final int v2AddressBlockLength;

    AddressFamily(int code, int v2AddressBlockLength) {
        this.code = code;
        this.v2AddressBlockLength = v2AddressBlockLength;
    }

    /** The 4-bit wire code. */
    public int code() {
        return code;
    }

    /** Bytes the v2 address block takes for this family with a STREAM or DGRAM protocol. */
    int v2AddressBlockLength() {
        return v2AddressBlockLength;
    }

    /** The family for a 4-bit wire code, empty for the unassigned codes 4 to 15. */
    public static Optional<AddressFamily> fromCode(int code) {
        return isAssigned(code) ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** True when {@code code} names a family: what the framer checks, without an {@code Optional} per header. */
    static boolean isAssigned(int code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** The family for a code that {@link #isAssigned} accepted. */
    static AddressFamily ofAssigned(int code) {
        return BY_CODE[code];
    }
}
