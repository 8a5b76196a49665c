package dev.jamesproxy.protocol;

import java.util.Optional;

/** Lower-case hex encoding and strict decoding (Java 11 has no {@code HexFormat}). */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(byte[] bytes, int offset, int length) {
        char[] text = new char[2 * length];
        for (int i = 0; i < length; i++) {
            int value = bytes[offset + i] & 0xFF;
            text[2 * i] = DIGITS[value >>> 4];
            text[2 * i + 1] = DIGITS[value & 0xF];
        }
        return new String(text);
    }

    /** The bytes of an even-length hex string (either case), empty if it is not one. */
    public static Optional<byte[]> decode(CharSequence text) {
        if (text.length() % 2 != 0) {
            return Optional.empty();
        }
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int high = hexDigit(text.charAt(2 * i));
            int low = hexDigit(text.charAt(2 * i + 1));
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return Optional.of(bytes);
    }

    /** 0-15 for an ASCII hex digit, -1 otherwise (unlike {@link Character#digit}, no other scripts' digits). */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
