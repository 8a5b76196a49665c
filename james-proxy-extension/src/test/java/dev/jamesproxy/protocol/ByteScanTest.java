package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The word-at-a-time scans against a byte-at-a-time loop, over every range of seeded random buffers. */
class ByteScanTest {
    /** Bytes that trip a careless word trick: the targets, their neighbours, 0x00, 0x01, 0x80, 0xFF. */
    private static final byte[] ALPHABET = {' ', '\r', '\n', 0x00, 0x01, 0x0B, 0x0C, 0x0E, 0x1F, 0x21, (byte) 0x80,
        (byte) 0x8A, (byte) 0x8D, (byte) 0xA0, (byte) 0xFF, 'P', '1', '.'};

    @Test
    void indexOfShouldFindTheFirstMatchInEveryRange() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            byte[] buf = randomBuffer(random);
            byte wanted = ALPHABET[random.nextInt(ALPHABET.length)];
            for (int from = 0; from <= buf.length; from++) {
                for (int to = from; to <= buf.length; to++) {
                    assertThat(ByteScan.indexOf(buf, wanted, from, to)).as("range [%d, %d)", from, to)
                        .isEqualTo(naiveIndexOf(buf, from, to, wanted, wanted));
                }
            }
        }
    }

    @Test
    void indexOfLineBreakShouldFindTheFirstCrOrLfInEveryRange() {
        Random random = new Random(6);
        for (int round = 0; round < 300; round++) {
            byte[] buf = randomBuffer(random);
            for (int from = 0; from <= buf.length; from++) {
                for (int to = from; to <= buf.length; to++) {
                    assertThat(ByteScan.indexOfLineBreak(buf, from, to)).as("range [%d, %d)", from, to)
                        .isEqualTo(naiveIndexOf(buf, from, to, (byte) '\r', (byte) '\n'));
                }
            }
        }
    }

    private static byte[] randomBuffer(Random random) {
        byte[] buf = new byte[random.nextInt(40)];
        // Mostly one filler byte, so that matches are sparse and land at every position of a word.
        byte filler = ALPHABET[random.nextInt(ALPHABET.length)];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = random.nextInt(6) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : filler;
        }
        return buf;
    }

    private static int naiveIndexOf(byte[] buf, int from, int to, byte first, byte second) {
        for (int i = from; i < to; i++) {
            if (buf[i] == first || buf[i] == second) {
                return i;
            }
        }
        return to;
    }
}
