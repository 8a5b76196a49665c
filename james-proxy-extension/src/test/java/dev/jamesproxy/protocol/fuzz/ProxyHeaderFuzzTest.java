package dev.jamesproxy.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.jamesproxy.protocol.Crc32cPolicy;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ParserLimits;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.ProxyHeaderParser;
import dev.jamesproxy.protocol.Tlv;
import dev.jamesproxy.protocol.testing.V2Bytes;

/**
 * Coverage-guided fuzzing of the parser with Jazzer. In the default test run each method replays its kept
 * corpus ({@code src/test/resources/dev/jamesproxy/protocol/fuzz/ProxyHeaderFuzzTestInputs/<method>/}, where
 * crash reproducers also go). To fuzz: {@code JAZZER_FUZZ=1 mvn test -pl james-proxy-extension
 * -Dtest=ProxyHeaderFuzzTest#parserInvariants} (see docs/development.md).
 */
class ProxyHeaderFuzzTest {
    private static final ProxyHeaderParser DEFAULTS = new ProxyHeaderParser();
    private static final ProxyHeaderParser SMALL = new ProxyHeaderParser(ParserLimits.builder()
        .maxHeaderBytes(512).maxTlvs(8).crc32cPolicy(Crc32cPolicy.REQUIRE).build());

    @FuzzTest(maxDuration = "5m")
    void parserInvariants(byte[] input) {
        check(DEFAULTS, input);
        check(SMALL, input);
    }

    /** Any split of the input into two deliveries gives the verdict the whole input gets. */
    @FuzzTest(maxDuration = "5m")
    void splitDelivery(FuzzedDataProvider data) {
        byte[] input = data.consumeRemainingAsBytes();
        if (input.length == 0) {
            return;
        }
        ParseResult whole = DEFAULTS.parse(input);
        for (int split : new int[] {1, input.length / 3, input.length / 2, input.length - 1}) {
            ParseResult prefix = DEFAULTS.parse(input, 0, Math.max(0, split));
            if (prefix.isComplete()) {
                assertThat(prefix).isEqualTo(whole);
            } else if (prefix.isInvalid()) {
                assertThat(whole.isInvalid()).isTrue();
            } else {
                assertThat(whole.isComplete() && whole.headerLength() <= split).isFalse();
            }
        }
    }

    private static void check(ProxyHeaderParser parser, byte[] input) {
        ParseResult result = parser.parse(input, 0, input.length);
        assertThat(result).isNotNull();
        if (!result.isComplete()) {
            assertThat(result.isInvalid() == result.error().isPresent()).isTrue();
            return;
        }
        ProxyData data = result.proxyData().orElseThrow();
        int length = data.headerLength();
        assertThat(length).isLessThanOrEqualTo(input.length);
        assertThat(data.wholeRaw()).isEqualTo(Arrays.copyOf(input, length));
        if (data.version().getAsInt() == 1) {
            assertThat(length).isLessThanOrEqualTo(ParserLimits.V1_MAX_LENGTH);
            return;
        }
        assertThat(length).isLessThanOrEqualTo(parser.limits().maxHeaderBytes());
        assertThat(count(data)).isLessThanOrEqualTo(parser.limits().maxTlvs());
        assertThat(parser.parse(V2Bytes.reencode(data))).isEqualTo(result);
    }

    private static int count(ProxyData data) {
        int count = 0;
        for (Tlv tlv : data.tlvs()) {
            count += 1 + tlv.subTlvs().size();
        }
        return count;
    }

}
