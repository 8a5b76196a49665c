package dev.jamesproxy.james.netty;

import java.util.Optional;

import dev.jamesproxy.protocol.ParseError;

/** Why a connection was closed before its protocol started. Immutable. */
final class Rejection {

    /**
     * Rejection kinds. {@link #tag()} is the metric suffix ({@code proxyProtocol.rejected.<tag>}) and the word in
     * the log line; {@link #isWarning()} says whether the line is WARN (something is misconfigured or hostile) or
     * INFO (the policy did its job).
     */
    enum Kind {
        /** The TCP peer is neither in {@code trustedProxies} nor in {@code direct}. */
        UNTRUSTED("untrusted", false),
        /** The bytes are not a valid PROXY header. */
        MALFORMED("malformed", true),
        /** No whole header within {@code <timeout>}. */
        TIMEOUT("timeout", false),
        /** The header exceeds {@code maxHeaderBytes}, the v1 line length or {@code maxTlvs}. */
        OVERSIZE("oversize", true),
        /** CRC32C mismatch, or missing under {@code require}. */
        CRC32C("crc32c", true),
        /** No hook accepted, a hook denied, or a hook failed. */
        HOOK("hook", false),
        /** The hooks did not answer within {@code <timeout>} (which covers the header and the hooks). */
        HOOK_TIMEOUT("hookTimeout", true),
        /** The client address already has {@code connectionLimitPerClient} connections. */
        CLIENT_LIMIT("clientLimit", false);

        private final String tag;
        private final boolean warning;

        Kind(String tag, boolean warning) {
            this.tag = tag;
            this.warning = warning;
        }

        public String tag() {
            return tag;
        }

        public boolean isWarning() {
            return warning;
        }

        static Kind of(ParseError.Category category) {
            switch (category) {
                case CRC32C:
                    return CRC32C;
                case OVERSIZE:
                    return OVERSIZE;
                default:
                    return MALFORMED;
            }
        }
    }

    private final Kind kind;
    private final String detail;
    private final Optional<ParseError.Reason> parseReason;

    private Rejection(Kind kind, String detail, Optional<ParseError.Reason> parseReason) {
        this.kind = kind;
        this.detail = detail;
        this.parseReason = parseReason;
    }

    static Rejection of(Kind kind, String detail) {
        return new Rejection(kind, detail, Optional.empty());
    }

    /** The parser's verdict, as an oversize, crc32c or malformed rejection by its reason's category. */
    static Rejection fromParseError(ParseError error) {
        return new Rejection(Kind.of(error.reason().category()), error.reason() + ": " + error.message(),
            Optional.of(error.reason()));
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    public Optional<ParseError.Reason> parseReason() {
        return parseReason;
    }

    @Override
    public String toString() {
        return kind.tag() + " (" + detail + ")";
    }
}
