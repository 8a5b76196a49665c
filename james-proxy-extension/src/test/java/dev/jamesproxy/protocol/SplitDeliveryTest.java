package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.protocol.testing.Vectors;

/** Every vector replayed at every split point: a prefix never gets a different verdict than the whole. */
class SplitDeliveryTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    static Stream<Vectors.Case> cases() {
        return Vectors.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyPrefixShouldWaitOrAgreeWithTheWholeInput(Vectors.Case vector) {
        byte[] input = vector.bytes();
        ParseResult whole = parser.parse(input, 0, input.length);

        for (int split = 0; split < input.length; split++) {
            ParseResult prefix = parser.parse(Arrays.copyOf(input, split));
            if (whole.isComplete()) {
                int headerLength = whole.headerLength();
                if (split < headerLength) {
                    assertThat(prefix.status()).as("prefix of %d bytes", split).isEqualTo(ParseResult.Status.INCOMPLETE);
                } else {
                    assertThat(prefix).as("prefix of %d bytes", split).isEqualTo(whole);
                }
            } else {
                assertThat(prefix.status()).as("prefix of %d bytes", split).isNotEqualTo(ParseResult.Status.COMPLETE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onceRejectedLongerInputShouldStayRejected(Vectors.Case vector) {
        byte[] input = vector.bytes();
        boolean rejected = false;
        for (int length = 1; length <= input.length; length++) {
            ParseResult result = parser.parse(input, 0, length);
            if (rejected) {
                assertThat(result.status()).as("%d bytes", length).isEqualTo(ParseResult.Status.INVALID);
            }
            rejected = result.isInvalid();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anOffsetIntoALargerBufferShouldGiveTheSameResult(Vectors.Case vector) {
        byte[] input = vector.bytes();
        byte[] padded = new byte[input.length + 10];
        Arrays.fill(padded, (byte) 0x41);
        System.arraycopy(input, 0, padded, 7, input.length);

        assertThat(parser.parse(padded, 7, input.length)).isEqualTo(parser.parse(input));
    }
}
