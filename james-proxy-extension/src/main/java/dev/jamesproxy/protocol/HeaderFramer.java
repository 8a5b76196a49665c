package dev.jamesproxy.protocol;

import java.util.Arrays;

/**
 * Decides, from the first bytes of a connection, how long the PROXY header is, without parsing it:
 * need more bytes, a header of N bytes, or not acceptable at all. Every check that the bytes so far
 * allow is made at once, so a bad signature, version, command, family or length is rejected without
 * waiting for the rest.
 *
 * <p>{@link #frame} runs on every read of every connection until its header is complete, so it returns
 * an {@code int} instead of an object: the header length ({@code > 0}), {@link #NEED_MORE}, or a
 * negative rejection code naming a {@link ParseError.Reason}. Only a rejection, which ends the
 * connection, pays for words: {@link #explain} turns the code into a {@link ParseError}, re-reading the
 * bytes for the details its message gives.
 */
final class HeaderFramer {
    static final byte[] V1_SIGNATURE = {'P', 'R', 'O', 'X', 'Y', ' '};
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** {@link #frame}: the bytes are a prefix of a header that could still be valid. */
    static final int NEED_MORE = 0;
    /** Bytes of the v2 signature shared with nothing else ({@code \r\n\r\n\0}), as aiosmtpd reads them. */
    private static final int V2_SIGNATURE_DISTINCT_PREFIX = 5;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final ParseError.Reason[] REASONS = ParseError.Reason.values();

    private HeaderFramer() {
    }

    /**
     * Frames {@code buf[offset, offset + length)}: the header length once the whole header is there
     * (a v1 header starts with {@code 'P'}, a v2 header with {@code '\r'}), {@link #NEED_MORE}, or a
     * code for which {@link #isRejection} is true.
     */
    static int frame(byte[] buf, int offset, int length, ParserLimits limits) {
        if (length == 0) {
            return NEED_MORE;
        }
        if (buf[offset] == V1_SIGNATURE[0]) {
            return frameV1(buf, offset, length);
        }
        if (buf[offset] == V2_SIGNATURE[0]) {
            return frameV2(buf, offset, length, limits);
        }
        return reject(ParseError.Reason.NOT_PROXY);
    }

    static boolean isRejection(int frame) {
        return frame < 0;
    }

    /** The error for a rejection code that {@link #frame} returned for the same bytes. */
    static ParseError explain(int rejection, byte[] buf, int offset, int length, ParserLimits limits) {
        ParseError.Reason reason = REASONS[-rejection - 1];
        switch (reason) {
            case V1_BAD_SIGNATURE:
                return new ParseError(reason,
                    "v1 'PROXY' is followed by " + describe(buf[offset + 5]) + " (expected: a single space)");
            case V1_BAD_LINE_ENDING:
                return badLineEnding(buf, offset, length);
            case V1_TOO_LONG:
                return new ParseError(reason, "v1 line has no CRLF within " + ParserLimits.V1_MAX_LENGTH
                    + " bytes (expected: at most 107 bytes)");
            case V2_BAD_SIGNATURE:
                return new ParseError(reason, "v2 signature differs at byte "
                    + mismatch(buf, offset, length, V2_SIGNATURE) + " (expected: 0D0A0D0A000D0A515549540A)");
            case V2_BAD_VERSION:
                return new ParseError(reason, "v2 version nibble is " + ((buf[offset + 12] & 0xFF) >>> 4)
                    + " (expected: 2)");
            case V2_BAD_COMMAND:
                return new ParseError(reason, "v2 command is " + (buf[offset + 12] & 0x0F)
                    + " (expected: 0 LOCAL or 1 PROXY)");
            case V2_BAD_FAMILY:
                return new ParseError(reason, "v2 address family is " + ((buf[offset + 13] & 0xFF) >>> 4)
                    + " (expected: 0-3)");
            case V2_BAD_PROTOCOL:
                return new ParseError(reason, "v2 transport protocol is " + (buf[offset + 13] & 0x0F)
                    + " (expected: 0-2)");
            case V2_TOO_LONG:
                return new ParseError(reason, "v2 header declares " + v2Length(buf, offset)
                    + " bytes (expected: at most " + limits.maxHeaderBytes() + ")");
            default:
                return TrafficSniffer.notProxy(buf, offset, length);
        }
    }

    private static int frameV1(byte[] buf, int offset, int length) {
        int mismatch = mismatch(buf, offset, length, V1_SIGNATURE);
        if (mismatch >= 0) {
            boolean onlyTheSpace = mismatch == V1_SIGNATURE.length - 1;
            return reject(onlyTheSpace ? ParseError.Reason.V1_BAD_SIGNATURE : ParseError.Reason.NOT_PROXY);
        }
        // The first LF ends the line if a CR precedes it; a CR followed by anything else is a fault.
        int scanEnd = Math.min(length, ParserLimits.V1_MAX_LENGTH);
        int i = lineBreak(buf, offset, V1_SIGNATURE.length, scanEnd);
        while (i < scanEnd) {
            if (buf[offset + i] == LF) {
                return buf[offset + i - 1] == CR ? i + 1 : reject(ParseError.Reason.V1_BAD_LINE_ENDING);
            }
            if (i + 1 < length && buf[offset + i + 1] != LF) {
                return reject(ParseError.Reason.V1_BAD_LINE_ENDING);
            }
            i = lineBreak(buf, offset, i + 1, scanEnd);
        }
        return length >= ParserLimits.V1_MAX_LENGTH ? reject(ParseError.Reason.V1_TOO_LONG) : NEED_MORE;
    }

    private static int frameV2(byte[] buf, int offset, int length, ParserLimits limits) {
        int mismatch = mismatch(buf, offset, length, V2_SIGNATURE);
        if (mismatch >= 0) {
            boolean distinct = mismatch >= V2_SIGNATURE_DISTINCT_PREFIX;
            return reject(distinct ? ParseError.Reason.V2_BAD_SIGNATURE : ParseError.Reason.NOT_PROXY);
        }
        if (length <= 12) {
            return NEED_MORE;
        }
        int versionCommand = buf[offset + 12] & 0xFF;
        if ((versionCommand >>> 4) != 2) {
            return reject(ParseError.Reason.V2_BAD_VERSION);
        }
        if (!Command.isAssigned(versionCommand & 0x0F)) {
            return reject(ParseError.Reason.V2_BAD_COMMAND);
        }
        if (length <= 13) {
            return NEED_MORE;
        }
        int familyProtocol = buf[offset + 13] & 0xFF;
        if (!AddressFamily.isAssigned(familyProtocol >>> 4)) {
            return reject(ParseError.Reason.V2_BAD_FAMILY);
        }
        if (!TransportProtocol.isAssigned(familyProtocol & 0x0F)) {
            return reject(ParseError.Reason.V2_BAD_PROTOCOL);
        }
        if (length < ParserLimits.V2_FIXED_LENGTH) {
            return NEED_MORE;
        }
        int total = v2Length(buf, offset);
        if (total > limits.maxHeaderBytes()) {
            return reject(ParseError.Reason.V2_TOO_LONG);
        }
        return length >= total ? total : NEED_MORE;
    }

    /** The first CR or LF at or after {@code from}, or {@code to}; indices relative to {@code offset}. */
    private static int lineBreak(byte[] buf, int offset, int from, int to) {
        return ByteScan.indexOfLineBreak(buf, offset + from, offset + to) - offset;
    }

    private static int reject(ParseError.Reason reason) {
        return -1 - reason.ordinal();
    }

    /**
     * The index of the first byte of {@code signature} that the input has and gets wrong, or -1 when
     * the input is the signature or a prefix of it. {@code Arrays.mismatch} compares words, not bytes.
     */
    private static int mismatch(byte[] buf, int offset, int length, byte[] signature) {
        int compared = Math.min(length, signature.length);
        return Arrays.mismatch(buf, offset, offset + compared, signature, 0, compared);
    }

    /** The whole v2 header length: the fixed part and the declared {@code len}. */
    private static int v2Length(byte[] buf, int offset) {
        return ParserLimits.V2_FIXED_LENGTH + (((buf[offset + 14] & 0xFF) << 8) | (buf[offset + 15] & 0xFF));
    }

    /** The line-ending fault {@link #frameV1} stopped at: the first LF (never after a CR) or a lone CR. */
    private static ParseError badLineEnding(byte[] buf, int offset, int length) {
        for (int i = V1_SIGNATURE.length; ; i++) {
            if (buf[offset + i] == LF) {
                return new ParseError(ParseError.Reason.V1_BAD_LINE_ENDING,
                    "v1 line ends with a lone LF at offset " + i + " (expected: CRLF)");
            }
            if (buf[offset + i] == CR && i + 1 < length && buf[offset + i + 1] != LF) {
                return new ParseError(ParseError.Reason.V1_BAD_LINE_ENDING,
                    "v1 line has a lone CR at offset " + i + " (expected: CRLF)");
            }
        }
    }

    private static String describe(byte b) {
        int value = b & 0xFF;
        if (value >= 0x21 && value < 0x7F) {
            return "'" + (char) value + "'";
        }
        return String.format("byte 0x%02X", value);
    }
}
