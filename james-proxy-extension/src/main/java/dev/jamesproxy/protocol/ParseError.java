package dev.jamesproxy.protocol;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a header was rejected: a stable {@link Reason} (for metrics, tests and scripts) and a message
 * for people that states what was found and what was expected. Immutable.
 */
public final class ParseError {

    /** What kind of failure a {@link Reason} is, for metrics and log levels. */
    public enum Category {
        /** The header did not arrive whole. */
        INCOMPLETE,
        /** Something other than a PROXY header arrived. */
        NOT_PROXY,
        /** A PROXY header that breaks the spec's grammar or rules. */
        MALFORMED,
        /** A header beyond a size or count limit. */
        OVERSIZE,
        /** A CRC32C that does not match, cannot be checked, or is missing when required. */
        CRC32C
    }

    /** Stable rejection reasons. Names never change meaning; new ones may be added. */
    public enum Reason {
        /** The input ended (EOF or timeout) before a whole header arrived. */
        INCOMPLETE,
        /** The bytes start with neither the v1 nor the v2 signature. */
        NOT_PROXY,
        /** A TLS ClientHello arrived where a header was expected. */
        TLS_INSTEAD_OF_HEADER,
        /** An SMTP command arrived where a header was expected. */
        SMTP_INSTEAD_OF_HEADER,
        /** An HTTP request arrived where a header was expected. */
        HTTP_INSTEAD_OF_HEADER,
        /** {@code PROXY} is not followed by a single space. */
        V1_BAD_SIGNATURE,
        /** No CRLF within the first 107 bytes. */
        V1_TOO_LONG,
        /** A lone CR or a lone LF. */
        V1_BAD_LINE_ENDING,
        /** The protocol token is not {@code TCP4}, {@code TCP6} or {@code UNKNOWN}. */
        V1_BAD_PROTOCOL,
        /** Fewer than four fields after {@code TCP4}/{@code TCP6}. */
        V1_MISSING_FIELD,
        /** An address is not a strict IPv4 or IPv6 literal. */
        V1_BAD_ADDRESS,
        /** An address of the other family than the protocol token says. */
        V1_ADDRESS_FAMILY_MISMATCH,
        /** A port is not a decimal 0-65535 without leading zeros. */
        V1_BAD_PORT,
        /** Anything after the destination port. */
        V1_EXTRA_DATA,
        /** The 12-byte v2 signature does not match after its first 5 bytes did. */
        V2_BAD_SIGNATURE,
        /** The version nibble is not 2. */
        V2_BAD_VERSION,
        /** The command nibble is neither LOCAL nor PROXY. */
        V2_BAD_COMMAND,
        /** The family nibble is not 0 to 3. */
        V2_BAD_FAMILY,
        /** The protocol nibble is not 0 to 2. */
        V2_BAD_PROTOCOL,
        /** The declared length is shorter than the family's address block. */
        V2_TRUNCATED_ADDRESS,
        /** The header is longer than the configured maximum. */
        V2_TOO_LONG,
        /** The header carries more TLVs than the configured maximum. */
        V2_TOO_MANY_TLVS,
        /** A CRC32C TLV does not match the header. */
        CRC32C_MISMATCH,
        /** A CRC32C TLV whose value is not 4 bytes. */
        CRC32C_BAD_LENGTH,
        /** No CRC32C TLV although the policy requires one. */
        CRC32C_MISSING;

        /** The kind of failure. */
        public Category category() {
            switch (this) {
                case INCOMPLETE:
                    return Category.INCOMPLETE;
                case NOT_PROXY:
                case TLS_INSTEAD_OF_HEADER:
                case SMTP_INSTEAD_OF_HEADER:
                case HTTP_INSTEAD_OF_HEADER:
                    return Category.NOT_PROXY;
                case V1_TOO_LONG:
                case V2_TOO_LONG:
                case V2_TOO_MANY_TLVS:
                    return Category.OVERSIZE;
                case CRC32C_MISMATCH:
                case CRC32C_BAD_LENGTH:
                case CRC32C_MISSING:
                    return Category.CRC32C;
                default:
                    return Category.MALFORMED;
            }
        }

        /** The reason as a metric tag, e.g. {@code v1-bad-port}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final String message;

    public ParseError(Reason reason, String message) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.message = Objects.requireNonNull(message, "message");
    }

    public Reason reason() {
        return reason;
    }

    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParseError)) {
            return false;
        }
        ParseError other = (ParseError) o;
        return reason == other.reason && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, message);
    }

    /** {@code REASON: message}. */
    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
