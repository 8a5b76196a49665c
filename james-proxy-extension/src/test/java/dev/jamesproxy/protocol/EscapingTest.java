package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EscapingTest {
    @Test
    void printableShouldEscapeControlQuoteAndBackslash() {
        byte[] data = "EHLO \"x\"\\\r\n\t".getBytes(StandardCharsets.US_ASCII);

        assertThat(Escaping.printable(data, 0, data.length, 64)).isEqualTo("EHLO \\\"x\\\"\\\\\\r\\n\\t");
    }

    @Test
    void printableShouldHexEscapeBinary() {
        assertThat(Escaping.printable(new byte[] {0x16, 0x03, (byte) 0xFF, 0x7F, 0}, 0, 5, 64))
            .isEqualTo("\\x16\\x03\\xff\\x7f\\x00");
    }

    @Test
    void printableShouldMarkACut() {
        byte[] data = "a".repeat(65).getBytes(StandardCharsets.US_ASCII);

        assertThat(Escaping.printable(data, 0, 65, 64)).isEqualTo("a".repeat(64) + "...");
        assertThat(Escaping.printable(data, 0, 64, 64)).isEqualTo("a".repeat(64));
        assertThat(Escaping.printable(data, 10, 3, 64)).isEqualTo("aaa");
    }
}
