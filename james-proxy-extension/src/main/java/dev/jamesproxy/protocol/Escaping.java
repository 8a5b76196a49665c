package dev.jamesproxy.protocol;

/** Renders untrusted bytes for logs and messages: printable ASCII as is, everything else escaped. */
public final class Escaping {
    private Escaping() {
    }

    /**
     * At most {@code maxBytes} of {@code buf[offset, offset + length)} as text: printable ASCII kept,
     * {@code \r}, {@code \n}, {@code \t}, {@code \\}, {@code \"} and other bytes as {@code \xNN};
     * {@code ...} marks a cut.
     */
    public static String printable(byte[] buf, int offset, int length, int maxBytes) {
        int shown = Math.min(length, maxBytes);
        StringBuilder text = new StringBuilder(shown + 8);
        for (int i = offset; i < offset + shown; i++) {
            int b = buf[i] & 0xFF;
            if (b == '\r') {
                text.append("\\r");
            } else if (b == '\n') {
                text.append("\\n");
            } else if (b == '\t') {
                text.append("\\t");
            } else if (b == '\\' || b == '"') {
                text.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append("\\x").append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        }
        if (shown < length) {
            text.append("...");
        }
        return text.toString();
    }
}
