package dev.jamesproxy.james;

import java.util.Optional;

import dev.jamesproxy.protocol.ParseError;

/** Why a connection was closed before SMTP started. Immutable. */
public final class Rejection {

    /** Rejection kinds; {@link #tag()} is the metric suffix and the word in the log line. */
    public enum Kind {
        /** The TCP peer is neither in {@code trustedProxies} nor in {@code direct}. */
        UNTRUSTED("untrusted"),
        /** The bytes are not a valid PROXY header. */
        MALFORMED("malformed"),
        /** No whole header within {@code <timeout>}. */
        TIMEOUT("timeout"),
        /** The header exceeds {@code maxHeaderBytes}, the v1 line length or {@code maxTlvs}. */
        OVERSIZE("oversize"),
        /** CRC32C mismatch, or missing under {@code require}. */
        CRC("crc"),
        /** No hook accepted, a hook denied, or a hook failed. */
        HOOK("hook"),
        /** The client address already has {@code connectionLimitPerClient} connections. */
        CLIENT_LIMIT("clientLimit");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
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

    public static Rejection of(Kind kind, String detail) {
        return new Rejection(kind, detail, Optional.empty());
    }

    /** A parser verdict, classified as oversize, crc or malformed by its reason. */
    public static Rejection parse(ParseError error) {
        return new Rejection(classify(error.reason()), error.reason() + ": " + error.message(), Optional.of(error.reason()));
    }

    private static Kind classify(ParseError.Reason reason) {
        switch (reason.category()) {
            case CHECKSUM:
                return Kind.CRC;
            case OVERSIZE:
                return Kind.OVERSIZE;
            default:
                return Kind.MALFORMED;
        }
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
