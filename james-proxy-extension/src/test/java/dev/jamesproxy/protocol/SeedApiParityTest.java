package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.protocol.testing.V2Bytes;

/** aiosmtpd's ProxyData / ProxyTLV API, in its Java form (docs/aiosmtpd.md: the aiosmtpd-to-Java table). */
class SeedApiParityTest {
    /** aiosmtpd's TEST_V2_DATA1_EXACT: PROXY TCP4 with CRC32C, AUTHORITY, UNIQUE_ID and SSL. */
    private static final byte[] DATA1 = Hex.decode("0d0a0d0a000d0a515549540a211100727f0000017f000001b05262a503000454fdc6ff"
        + "020009415554484f52495459050009554e495155455f49442000440100000000210007544c5376312e322500075253413430393624000a"
        + "5253412d53484132353623001b45434448452d5253412d4145533235362d47434d2d534841333834").orElseThrow();

    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ProxyData data1() {
        return parser.parse(DATA1).proxyData().orElseThrow();
    }

    @Test
    void validShouldNeedVersionProtocolAndNoError() {
        ProxyData data = data1();

        assertThat(data.isValid()).isTrue();
        assertThat(data.withError("PROXYv2 something").isValid()).isFalse();
        assertThat(data.withError("PROXYv2 something").error()).isEqualTo("PROXYv2 something");
        assertThat(data.isValid()).as("withError returns a copy").isTrue();
    }

    @Test
    void sameAttribsShouldCompareByAiosmtpdNames() {
        ProxyData data = data1();

        assertThat(data.sameAttribs(false, Map.of("version", 2, "command", Command.PROXY, "family", AddressFamily.INET,
            "protocol", TransportProtocol.STREAM, "src_addr", "127.0.0.1", "src_port", 45138, "dst_port", 25253,
            "valid", true, "error", "", "tlv_start", 28))).isTrue();
        assertThat(data.sameAttribs(false, Map.of("family", 1, "protocol", 1, "command", 1))).isTrue();
        assertThat(data.sameAttribs(false, Map.of("protocol", TransportProtocol.DGRAM))).isFalse();
        assertThat(data.sameAttribs(false, Map.of("strange_key", 1))).isFalse();
        assertThat(data.sameAttribs(false, Map.of("whole_raw", DATA1))).isTrue();
    }

    @Test
    void sameAttribsShouldRaiseWhenAsked() {
        ProxyData data = data1();

        assertThatThrownBy(() -> data.sameAttribs(true, Map.of("protocol", TransportProtocol.DGRAM)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageMatching("mismatch:protocol actual=.* expect=.*");
        assertThatThrownBy(() -> data.sameAttribs(true, Map.of("strange_key", 1)))
            .isInstanceOf(NoSuchElementException.class).hasMessage("notfound:strange_key");
    }

    @Test
    void unsetAttributesShouldMismatch() {
        ProxyData unknown = parser.parse("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII)).proxyData().orElseThrow();

        assertThat(unknown.sameAttribs(false, Map.of("src_addr", "Missing"))).isFalse();
        assertThat(unknown.sameAttribs(false, Map.of("protocol", TransportProtocol.UNSPEC, "valid", true))).isTrue();
        assertThat(unknown.tlv()).isEmpty();
    }

    @Test
    void tlvViewShouldFlattenSslAsAiosmtpdDoes() {
        ProxyTLV tlv = data1().tlv().orElseThrow();

        assertThat(tlv.sameAttribs(false, Map.of("AUTHORITY", "AUTHORITY".getBytes(StandardCharsets.US_ASCII),
            "UNIQUE_ID", "UNIQUE_ID".getBytes(StandardCharsets.US_ASCII), "SSL", true, "SSL_CLIENT", 1, "SSL_VERIFY", 0,
            "SSL_VERSION", "TLSv1.2".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        assertThat(tlv.get("ALPN")).isEmpty();
        assertThat(tlv.bytes("CRC32C")).hasValueSatisfying(v -> assertThat(Hex.encode(v)).isEqualTo("54fdc6ff"));
        assertThat(tlv.sameAttribs(false, Map.of("SSL", false))).isFalse();
        assertThatThrownBy(() -> tlv.sameAttribs(true, Map.of("i_dont_even", 1)))
            .isInstanceOf(NoSuchElementException.class).hasMessage("notfound:i_dont_even");
    }

    @Test
    void tlvLocShouldLocateEveryValueIncludingSslSubTlvs() {
        ProxyData data = data1();
        ProxyTLV tlv = data.tlv().orElseThrow();
        byte[] raw = data.wholeRaw();

        for (Map.Entry<String, Integer> entry : tlv.tlvLoc().entrySet()) {
            int typeByte = data.tlvStart().getAsInt() + entry.getValue();
            assertThat(TlvType.nameOf(raw[typeByte] & 0xFF)).as(entry.getKey()).isEqualTo(entry.getKey());
        }
        assertThat(tlv.tlvLoc().get("CRC32C")).isZero();
        assertThat(tlv.tlvLoc().get("SSL_VERSION")).isEqualTo(tlv.tlvLoc().get("SSL") + 3 + 5);
    }

    @Test
    void parseShouldKeepWhatWasReadBeforeAFaultOnlyWhenPartialIsOk() {
        byte[] chunk = Hex.decode("200017010203040521000776657273696f6e2200097472756e63").orElseThrow();

        ProxyTLV partial = ProxyTLV.parse(chunk, true);
        assertThat(partial.isMalformed()).isTrue();
        assertThat(partial.get("SSL")).contains(false);
        assertThat(partial.bytes("SSL_VERSION")).hasValueSatisfying(v -> assertThat(v).isEqualTo("version".getBytes()));
        assertThat(partial.contains("SSL_CN")).isFalse();
        assertThat(ProxyTLV.parse(chunk, false).asMap()).isEmpty();
        assertThat(ProxyTLV.fromRaw(chunk)).isEmpty();
        assertThat(ProxyTLV.fromRaw(new byte[0])).isEmpty();
    }

    @Test
    void unknownTypesShouldBeNamedByHexCode() {
        ProxyTLV tlv = ProxyTLV.fromRaw(Hex.decode("ff000479656168e0000101").orElseThrow()).orElseThrow();

        assertThat(tlv.bytes("xFF")).hasValueSatisfying(v -> assertThat(v).isEqualTo("yeah".getBytes()));
        assertThat(tlv.contains("xE0")).isTrue();
    }

    @Test
    void nameToNumShouldReverseTheTypeNames() {
        for (Map.Entry<Integer, String> entry : ProxyTLV.typeNames().entrySet()) {
            assertThat(ProxyTLV.nameToNum(entry.getValue())).contains(entry.getKey());
        }
        assertThat(ProxyTLV.typeNames()).hasSize(15).containsEntry(0x01, "ALPN").containsEntry(0x30, "NETNS");
        assertThat(ProxyTLV.nameToNum("wrongname")).isEmpty();
        assertThat(ProxyTLV.nameToNum("xE0")).isEmpty();
        assertThat(ProxyTLV.nameToNum("SSL_CLIENT")).isEmpty();
    }

    @Test
    void viewsShouldBeEqualWhateverTheOrder() {
        byte[] one = V2Bytes.local().tlv(0x02, "a").tlv(0x05, "b").header();
        byte[] other = V2Bytes.local().tlv(0x05, "b").tlv(0x02, "a").header();

        assertThat(parser.parse(one).proxyData().orElseThrow().tlv())
            .isEqualTo(parser.parse(other).proxyData().orElseThrow().tlv());
    }

    @Test
    void restAndTlvStartShouldLocateTheTlvArea() {
        ProxyData data = data1();

        assertThat(data.tlvStart().getAsInt()).isEqualTo(28);
        assertThat(data.rest()).isEqualTo(java.util.Arrays.copyOfRange(DATA1, 28, DATA1.length));
        assertThat(data.headerLength()).isEqualTo(130);
    }
}
