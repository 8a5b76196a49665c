package dev.jamesproxy.protocol;

import java.util.Optional;

/**
 * The v2 command: the low nibble of byte 12. A v1 header always reports {@link #PROXY}, including
 * {@code PROXY UNKNOWN}; see {@link ProxyData#isUnknown()}.
 */
public enum Command {
    /** The proxy opened the connection for itself (a health check): use the real socket endpoints. */
    LOCAL(0x0),
    /** The connection is relayed on behalf of the client described by the address block. */
    PROXY(0x1);

    private static final Command[] BY_CODE = values();

    private final int code;

    Command(int code) {
        this.code = code;
    }

    /** The 4-bit wire code. */
    public int code() {
        return code;
    }

    /** The command for a 4-bit wire code, empty for the unassigned codes 2 to 15. */
    public static Optional<Command> fromCode(int code) {
        return isAssigned(code) ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** True when {@code code} names a command: what the framer checks, without an {@code Optional} per header. */
    static boolean isAssigned(int code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** The command for a code that {@link #isAssigned} accepted. */
    static Command ofAssigned(int code) {
        return BY_CODE[code];
    }
}
