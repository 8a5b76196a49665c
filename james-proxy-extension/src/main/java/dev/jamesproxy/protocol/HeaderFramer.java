package dev.jamesproxy.protocol;

/**
 * Decides, from the first bytes of a connection, how long the PROXY header is, without parsing it:
 * need more bytes, a v1 line of N bytes, a v2 header of N bytes, or not acceptable at all. Every check
 * that the bytes so far allow is made at once, so a bad signature, version, command, family or length
 * is rejected without waiting for the rest.
 */
final class HeaderFramer {
    static final byte[] V1_SIGNATURE = {'P', 'R', 'O', 'X', 'Y', ' '};
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Bytes of the v2 signature shared with nothing else ({@code \r\n\r\n\0}), as aiosmtpd reads them. */
    private static final int V2_SIGNATURE_DISTINCT_PREFIX = 5;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** The framing outcome. A negative or zero {@link #length} means "not framed". */
    static final class Frame {
        static final Frame NEED_MORE = new Frame(0, 0, null);

        final int version;
        final int length;
        final ParseError error;

        private Frame(int version, int length, ParseError error) {
            this.version = version;
            this.length = length;
            this.error = error;
        }

        static Frame of(int version, int length) {
            return new Frame(version, length, null);
        }

        static Frame invalid(ParseError.Reason reason, String message) {
            return new Frame(0, 0, new ParseError(reason, message));
        }

        static Frame invalid(ParseError error) {
            return new Frame(0, 0, error);
        }
    }

    private HeaderFramer() {
    }

    static Frame frame(byte[] buf, int offset, int length, ParserLimits limits) {
        if (length == 0) {
            return Frame.NEED_MORE;
        }
        if (buf[offset] == V1_SIGNATURE[0]) {
            return frameV1(buf, offset, length);
        }
        if (buf[offset] == V2_SIGNATURE[0]) {
            return frameV2(buf, offset, length, limits);
        }
        return Frame.invalid(TrafficSniffer.notProxy(buf, offset, length));
    }

    private static Frame frameV1(byte[] buf, int offset, int length) {
        int signatureBytes = Math.min(length, V1_SIGNATURE.length);
        for (int i = 1; i < signatureBytes; i++) {
            if (buf[offset + i] != V1_SIGNATURE[i]) {
                if (i == V1_SIGNATURE.length - 1) {
                    return Frame.invalid(ParseError.Reason.V1_BAD_SIGNATURE,
                        "v1 'PROXY' is followed by " + describe(buf[offset + i]) + " (expected: a single space)");
                }
                return Frame.invalid(TrafficSniffer.notProxy(buf, offset, length));
            }
        }
        int scanEnd = Math.min(length, ParserLimits.V1_MAX_LENGTH);
        for (int i = V1_SIGNATURE.length; i < scanEnd; i++) {
            byte b = buf[offset + i];
            if (b == LF) {
                if (buf[offset + i - 1] != CR) {
                    return Frame.invalid(ParseError.Reason.V1_BAD_LINE_ENDING,
                        "v1 line ends with a lone LF at offset " + i + " (expected: CRLF)");
                }
                return Frame.of(1, i + 1);
            }
            if (b == CR && i + 1 < length && buf[offset + i + 1] != LF) {
                return Frame.invalid(ParseError.Reason.V1_BAD_LINE_ENDING,
                    "v1 line has a lone CR at offset " + i + " (expected: CRLF)");
            }
        }
        if (length >= ParserLimits.V1_MAX_LENGTH) {
            return Frame.invalid(ParseError.Reason.V1_TOO_LONG,
                "v1 line has no CRLF within " + ParserLimits.V1_MAX_LENGTH + " bytes (expected: at most 107 bytes)");
        }
        return Frame.NEED_MORE;
    }

    private static Frame frameV2(byte[] buf, int offset, int length, ParserLimits limits) {
        int signatureBytes = Math.min(length, V2_SIGNATURE.length);
        for (int i = 1; i < signatureBytes; i++) {
            if (buf[offset + i] != V2_SIGNATURE[i]) {
                if (i >= V2_SIGNATURE_DISTINCT_PREFIX) {
                    return Frame.invalid(ParseError.Reason.V2_BAD_SIGNATURE,
                        "v2 signature differs at byte " + i + " (expected: 0D0A0D0A000D0A515549540A)");
                }
                return Frame.invalid(TrafficSniffer.notProxy(buf, offset, length));
            }
        }
        if (length <= 12) {
            return Frame.NEED_MORE;
        }
        int versionCommand = buf[offset + 12] & 0xFF;
        if ((versionCommand >>> 4) != 2) {
            return Frame.invalid(ParseError.Reason.V2_BAD_VERSION,
                "v2 version nibble is " + (versionCommand >>> 4) + " (expected: 2)");
        }
        if (Command.fromCode(versionCommand & 0x0F).isEmpty()) {
            return Frame.invalid(ParseError.Reason.V2_BAD_COMMAND,
                "v2 command is " + (versionCommand & 0x0F) + " (expected: 0 LOCAL or 1 PROXY)");
        }
        if (length <= 13) {
            return Frame.NEED_MORE;
        }
        int familyProtocol = buf[offset + 13] & 0xFF;
        if (AddressFamily.fromCode(familyProtocol >>> 4).isEmpty()) {
            return Frame.invalid(ParseError.Reason.V2_BAD_FAMILY,
                "v2 address family is " + (familyProtocol >>> 4) + " (expected: 0-3)");
        }
        if (TransportProtocol.fromCode(familyProtocol & 0x0F).isEmpty()) {
            return Frame.invalid(ParseError.Reason.V2_BAD_PROTOCOL,
                "v2 transport protocol is " + (familyProtocol & 0x0F) + " (expected: 0-2)");
        }
        if (length < ParserLimits.V2_FIXED_LENGTH) {
            return Frame.NEED_MORE;
        }
        int total = ParserLimits.V2_FIXED_LENGTH + (((buf[offset + 14] & 0xFF) << 8) | (buf[offset + 15] & 0xFF));
        if (total > limits.maxHeaderBytes()) {
            return Frame.invalid(ParseError.Reason.V2_TOO_LONG,
                "v2 header declares " + total + " bytes (expected: at most " + limits.maxHeaderBytes() + ")");
        }
        return length >= total ? Frame.of(2, total) : Frame.NEED_MORE;
    }

    private static String describe(byte b) {
        int value = b & 0xFF;
        if (value >= 0x21 && value < 0x7F) {
            return "'" + (char) value + "'";
        }
        return String.format("byte 0x%02X", value);
    }
}
