package dev.jamesproxy.james;

/** Renders untrusted bytes for a log line: printable ASCII as is, everything else escaped. */
public final class EscapedBytes {
    /** The most bytes of a rejected connection that are logged. */
    public static final int LOG_PREFIX_BYTES = 64;

    private EscapedBytes() {
    }

    /** The first {@code min(length, max)} bytes, e.g. {@code EHLO x\r\n} or {@code \x16\x03\x01}, plus "..." when cut. */
    public static String prefix(byte[] data, int length, int max) {
        int shown = Math.min(Math.min(length, data.length), max);
        StringBuilder out = new StringBuilder(shown * 2 + 3);
        for (int i = 0; i < shown; i++) {
            int b = data[i] & 0xFF;
            if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else if (b == '\t') {
                out.append("\\t");
            } else if (b == '\\' || b == '"') {
                out.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7F) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (length > shown) {
            out.append("...");
        }
        return out.toString();
    }
}
