package dev.jamesproxy.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class EscapedBytesTest {

    @Test
    void printableAsciiShouldStayAndControlBytesShouldBeEscaped() {
        byte[] data = "EHLO \"x\"\\\r\n\t".getBytes(StandardCharsets.US_ASCII);

        assertThat(EscapedBytes.prefix(data, data.length, 64)).isEqualTo("EHLO \\\"x\\\"\\\\\\r\\n\\t");
    }

    @Test
    void binaryShouldBeHex() {
        assertThat(EscapedBytes.prefix(new byte[] {0x16, 0x03, (byte) 0xFF, 0x7F}, 4, 64)).isEqualTo("\\x16\\x03\\xff\\x7f");
    }

    @Test
    void longInputShouldBeCutAtTheMaximumAndMarked() {
        byte[] data = new byte[200];
        Arrays.fill(data, (byte) 'a');

        assertThat(EscapedBytes.prefix(data, 200, 64)).isEqualTo("a".repeat(64) + "...");
        assertThat(EscapedBytes.prefix(data, 64, 64)).isEqualTo("a".repeat(64));
    }

    @Test
    void aLongerTotalThanTheBytesKeptShouldBeMarked() {
        assertThat(EscapedBytes.prefix(new byte[] {'a'}, 1000, 64)).isEqualTo("a...");
    }
}
