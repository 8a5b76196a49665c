package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.protocol.testing.V2Bytes;
import dev.jamesproxy.protocol.testing.Vectors;

/**
 * A seeded mutation loop over the corpus and generated headers. Whatever the bytes, the parser returns a
 * result, and an accepted header is consistent with the input. Long campaigns: set
 * {@code -Dfuzz.iterations=...} (and {@code -Dfuzz.seed=...} to replay one).
 */
class MutationFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 200_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5EEDL);

    private final ProxyHeaderParser parser = new ProxyHeaderParser();
    private final ProxyHeaderParser smallLimits = new ProxyHeaderParser(ParserLimits.builder()
        .maxHeaderBytes(256).maxTlvs(4).crc32cPolicy(Crc32cPolicy.REQUIRE).build());

    @Test
    void mutatedInputShouldAlwaysGiveAConsistentResult() {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        int[] byStatus = new int[ParseResult.Status.values().length];
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            byStatus[check(parser, input, i).ordinal()]++;
            check(smallLimits, input, i);
        }
        // The loop must exercise every outcome, or it proves nothing.
        for (ParseResult.Status status : ParseResult.Status.values()) {
            assertThat(byStatus[status.ordinal()]).as(status.name()).isGreaterThan(ITERATIONS / 100);
        }
    }

    private ParseResult.Status check(ProxyHeaderParser under, byte[] input, int iteration) {
        ParseResult result = under.parse(input, 0, input.length);
        String label = "iteration " + iteration + " input " + Hex.encode(input);
        assertThat(result).as(label).isNotNull();
        switch (result.status()) {
            case COMPLETE:
                checkAccepted(under, input, result.proxyData().orElseThrow(), label);
                break;
            case INVALID:
                assertThat(result.error()).as(label).isPresent();
                assertThat(under.parse(input, 0, input.length)).as(label).isEqualTo(result);
                break;
            default:
                assertThat(under.parseFinal(input, 0, input.length).error().orElseThrow().reason()).as(label)
                    .isEqualTo(ParseError.Reason.INCOMPLETE);
        }
        return result.status();
    }

    private void checkAccepted(ProxyHeaderParser under, byte[] input, ProxyData data, String label) {
        int length = data.headerLength();
        assertThat(length).as(label).isLessThanOrEqualTo(input.length);
        assertThat(data.wholeRaw()).as(label).isEqualTo(Arrays.copyOf(input, length));
        assertThat(data.isValid()).as(label).isTrue();
        int version = data.version().getAsInt();
        if (version == 1) {
            assertThat(length).as(label).isLessThanOrEqualTo(ParserLimits.V1_MAX_LENGTH);
            assertThat(data.tlvs()).as(label).isEmpty();
        } else {
            assertThat(version).as(label).isEqualTo(2);
            assertThat(length).as(label).isLessThanOrEqualTo(under.limits().maxHeaderBytes());
            assertThat(length - 16).as(label).isEqualTo(((input[14] & 0xFF) << 8) | (input[15] & 0xFF));
            assertThat(countTlvs(data.tlvs())).as(label).isLessThanOrEqualTo(under.limits().maxTlvs());
            for (Tlv tlv : data.tlvs()) {
                assertThat(tlv.valueOffset() + tlv.length()).as(label).isLessThanOrEqualTo(length);
            }
            assertThat(data.crc32c()).as(label).isNotEqualTo(Crc32cStatus.INVALID);
            assertThat(under.parse(V2Bytes.reencode(data))).as(label + " re-encoded").isEqualTo(ParseResult.complete(data));
        }
        if (data.hasClientAddress()) {
            assertThat(data.source()).as(label).isPresent();
            assertThat(data.destination()).as(label).isPresent();
        }
        assertThat(under.parse(data.wholeRaw())).as(label + " header alone").isEqualTo(ParseResult.complete(data));
        int split = length / 2;
        assertThat(under.parse(input, 0, split).isIncomplete()).as(label + " half").isTrue();
    }


    private static int countTlvs(List<Tlv> tlvs) {
        int count = 0;
        for (Tlv tlv : tlvs) {
            count += 1 + countTlvs(tlv.subTlvs());
        }
        return count;
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (Vectors.Case vector : Vectors.all()) {
            seeds.add(vector.bytes());
        }
        seeds.add(V2Bytes.tcp4("192.0.2.1", 1234, "198.51.100.1", 25).crc32c().tlv(0x05, "unique")
            .ssl(0x07, 0, V2Bytes.subTlv(0x21, "TLSv1.3"), V2Bytes.subTlv(0x22, "cn")).then("EHLO x\r\n").build());
        seeds.add(V2Bytes.tcp6("2001:db8::1", 1, "::1", 2).tlv(0xEA, "\u0001vpce-123").build());
        seeds.add(V2Bytes.proxy().familyProtocol(0x31).unixPath("/a").unixPath("/b").tlv(0x30, "ns").build());
        seeds.add("PROXY TCP6 2001:db8::1 ::ffff:1.2.3.4 65535 0\r\nQUIT\r\n".getBytes());
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            if (bytes.length == 0) {
                bytes = new byte[] {(byte) random.nextInt(256)};
            }
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(8)) {
                case 0:
                    bytes[at] = (byte) random.nextInt(256);
                    break;
                case 1:
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 2:
                    bytes = Arrays.copyOf(bytes, at);
                    break;
                case 3:
                    bytes = insert(bytes, at, (byte) random.nextInt(256));
                    break;
                case 4:
                    bytes = remove(bytes, at);
                    break;
                case 5:
                    if (bytes.length > 15) {
                        int length = random.nextInt(bytes.length + 8);
                        bytes[14] = (byte) (length >>> 8);
                        bytes[15] = (byte) length;
                    }
                    break;
                case 6:
                    bytes[at] = "0123456789:. \r\nPROXYTCP46UNKNOWN".getBytes()[random.nextInt(32)];
                    break;
                default:
                    byte[] tail = Arrays.copyOfRange(bytes, at, bytes.length);
                    byte[] grown = Arrays.copyOf(bytes, bytes.length + tail.length);
                    System.arraycopy(tail, 0, grown, bytes.length, tail.length);
                    bytes = grown;
            }
        }
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte value) {
        byte[] grown = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(bytes, at, grown, at + 1, bytes.length - at);
        return grown;
    }

    private static byte[] remove(byte[] bytes, int at) {
        byte[] shrunk = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, shrunk, 0, at);
        System.arraycopy(bytes, at + 1, shrunk, at, bytes.length - at - 1);
        return shrunk;
    }
}
