package dev.jamesproxy.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The PROXY protocol parser: the only entry point of this package. Thread-safe and stateless apart
 * from its {@link ParserLimits}; one instance can serve every connection of a listener.
 *
 * <p>It is incremental: call {@link #parse} with everything received so far. It answers
 * {@link ParseResult.Status#INCOMPLETE} only while the bytes are a prefix of a header that could still
 * be valid, and rejects as soon as they cannot be. It never reads past the header: on
 * {@link ParseResult.Status#COMPLETE}, the bytes after {@link ParseResult#headerLength()} are untouched and
 * belong to the application (a pipelined EHLO, a TLS ClientHello). Any input gives a result; it never
 * throws on the content of the bytes.
 */
public final class ProxyHeaderParser {
    private final ParserLimits limits;

    public ProxyHeaderParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A parser with {@link ParserLimits#defaults()}. */
    public ProxyHeaderParser() {
        this(ParserLimits.defaults());
    }

    public ParserLimits limits() {
        return limits;
    }

    /** Parses the first bytes of a connection; see the class comment. */
    public ParseResult parse(byte[] buf) {
        return parse(buf, 0, buf.length);
    }

    /**
     * Parses {@code buf[offset, offset + length)}, the first bytes of a connection.
     *
     * @throws IndexOutOfBoundsException when the range is not inside {@code buf}
     */
    public ParseResult parse(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        int frame = HeaderFramer.frame(buf, offset, length, limits);
        if (frame == HeaderFramer.NEED_MORE) {
            return ParseResult.incomplete();
        }
        if (HeaderFramer.isRejection(frame)) {
            return ParseResult.invalid(HeaderFramer.explain(frame, buf, offset, length, limits));
        }
        // The one copy of the header: ProxyData keeps it (wholeRaw, TLV values), the caller's buffer is reused.
        byte[] header = Arrays.copyOfRange(buf, offset, offset + frame);
        return header[0] == HeaderFramer.V1_SIGNATURE[0] ? V1Parser.parse(header) : V2Parser.parse(header, limits);
    }

    /**
     * Like {@link #parse(byte[], int, int)} when no more bytes will come (EOF or timeout): an incomplete
     * header becomes {@link ParseError.Reason#INCOMPLETE}.
     */
    public ParseResult parseFinal(byte[] buf, int offset, int length) {
        ParseResult result = parse(buf, offset, length);
        if (!result.isIncomplete()) {
            return result;
        }
        return ParseResult.invalid(new ParseError(ParseError.Reason.INCOMPLETE,
            "the input ended after " + length + " bytes, inside a PROXY header (expected: the whole header)"));
    }
}
