package dev.jamesproxy.protocol;

import static dev.jamesproxy.protocol.testing.V2Bytes.subTlv;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jamesproxy.protocol.testing.V2Bytes;

/** The v2 rules of proxy-spec.md §3 and §4, one by one. */
class V2ParserTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ProxyData accepted(byte[] bytes) {
        ParseResult result = parser.parse(bytes);
        assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.COMPLETE);
        return result.proxyData().orElseThrow();
    }

    private ParseError rejected(byte[] bytes) {
        ParseResult result = parser.parse(bytes);
        assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.INVALID);
        return result.error().orElseThrow();
    }

    /** One table row: its name (the test's display name), the bytes, what is expected of them. */
    private static Arguments row(String name, byte[] bytes, Object expected) {
        return Arguments.of(name, bytes, expected);
    }

    private static V2Bytes tcp4() {
        return V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2);
    }

    /** {@code count} empty NOOP TLVs, 3 bytes each, as one run of TLV bytes. */
    private static byte[] noops(int count) {
        byte[] tlvs = new byte[3 * count];
        for (int i = 0; i < count; i++) {
            tlvs[3 * i] = (byte) TlvType.NOOP.code();
        }
        return tlvs;
    }

    @Test
    void parseShouldReadTcp4AndStopAtTheHeader() {
        byte[] bytes = V2Bytes.tcp4("203.0.113.7", 40000, "192.0.2.25", 25).then("EHLO x\r\n").build();
        ParseResult result = parser.parse(bytes);
        ProxyData data = result.proxyData().orElseThrow();

        assertThat(result.headerLength()).isEqualTo(28);
        assertThat(data.command()).contains(Command.PROXY);
        assertThat(data.family()).contains(AddressFamily.INET);
        assertThat(data.protocol()).contains(TransportProtocol.STREAM);
        assertThat(data.source().orElseThrow().getAddress().getHostAddress()).isEqualTo("203.0.113.7");
        assertThat(data.source().orElseThrow().getPort()).isEqualTo(40000);
        assertThat(data.destination().orElseThrow().getPort()).isEqualTo(25);
        assertThat(data.source().orElseThrow().isUnresolved()).isFalse();
        assertThat(data.hasClientAddress()).isTrue();
        assertThat(data.tlvStart()).isEmpty();
    }

    @Test
    void parseShouldReadTcp6AndKeepMappedAddressesAsIpv6() {
        ProxyData data = accepted(V2Bytes.tcp6("::ffff:192.0.2.1", 1, "2001:db8::25", 25).build());

        assertThat(data.family()).contains(AddressFamily.INET6);
        assertThat(data.sourceAddress().orElseThrow()).isInstanceOf(Inet6Address.class);
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo("::ffff:c000:201");
        assertThat(AddressText.of(data.destinationAddress().orElseThrow())).isEqualTo("2001:db8::25");
    }

    @Test
    void parseShouldAcceptPortZero() {
        assertThat(accepted(V2Bytes.tcp4("1.2.3.4", 0, "5.6.7.8", 0).build()).sourcePort().getAsInt()).isZero();
    }

    @Test
    void parseShouldReadUnixPathsUpToTheFirstNul() {
        ProxyData data = accepted(V2Bytes.proxy().familyProtocol(0x31).unixPath("/run/src.sock").unixPath("/run/dst").build());

        assertThat(data.sourcePath()).contains("/run/src.sock");
        assertThat(data.destinationPath()).contains("/run/dst");
        assertThat(data.sourceUnixRaw().orElseThrow()).hasSize(108);
        assertThat(data.sourcePort()).isEmpty();
        assertThat(data.hasClientAddress()).isFalse();
        assertThat(data.headerLength()).isEqualTo(232);
    }

    @Test
    void localShouldBeAcceptedAndHonourItsLength() {
        ProxyData empty = accepted(V2Bytes.local().build());
        ProxyData withBlock = accepted(V2Bytes.local().familyProtocol(0x11).address("10.0.0.1").address("10.0.0.2")
            .port(1).port(2).then("EHLO").build());

        assertThat(empty.isLocal()).isTrue();
        assertThat(empty.hasClientAddress()).isFalse();
        assertThat(empty.headerLength()).isEqualTo(16);
        assertThat(withBlock.isLocal()).isTrue();
        assertThat(withBlock.hasClientAddress()).isFalse();
        assertThat(withBlock.headerLength()).isEqualTo(28);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x01, 0x02, 0x10, 0x20, 0x30})
    void anyUnspecNibbleShouldMeanNoAddressBlock(int familyProtocol) {
        ProxyData data = accepted(V2Bytes.proxy().familyProtocol(familyProtocol).raw("whatever".getBytes(StandardCharsets.US_ASCII)).build());

        assertThat(data.sourceAddress()).isEmpty();
        assertThat(data.hasClientAddress()).isFalse();
        assertThat(new String(data.rest(), StandardCharsets.US_ASCII)).isEqualTo("whatever");
        assertThat(data.tlvAreaMalformed()).isTrue();
    }

    @Test
    void dgramShouldBeAcceptedWithItsAddresses() {
        ProxyData data = accepted(V2Bytes.tcp4("1.2.3.4", 53, "5.6.7.8", 53).familyProtocol(0x12).build());

        assertThat(data.protocol()).contains(TransportProtocol.DGRAM);
        assertThat(data.source()).isPresent();
    }

    static Stream<Arguments> signatureByteDifferences() {
        byte[] good = V2Bytes.local().build();
        return IntStream.range(1, 12).mapToObj(i -> {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            return row("signature byte " + i + " differs", bad,
                i >= 5 ? ParseError.Reason.V2_BAD_SIGNATURE : ParseError.Reason.NOT_PROXY);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureByteDifferences")
    void parseShouldRejectEachSignatureByteDifference(String name, byte[] bytes, ParseError.Reason reason) {
        assertThat(rejected(bytes).reason()).isEqualTo(reason);
    }

    static Stream<Arguments> otherVersionsAndCommands() {
        return Stream.of(
            row("version 1, 13 bytes", Arrays.copyOf(V2Bytes.local().versionCommand(0x10).build(), 13),
                ParseError.Reason.V2_BAD_VERSION),
            row("version 3, 13 bytes", Arrays.copyOf(V2Bytes.local().versionCommand(0x30).build(), 13),
                ParseError.Reason.V2_BAD_VERSION),
            row("command 2, 13 bytes", Arrays.copyOf(V2Bytes.local().versionCommand(0x22).build(), 13),
                ParseError.Reason.V2_BAD_COMMAND),
            row("family 4, 14 bytes", Arrays.copyOf(V2Bytes.local().familyProtocol(0x40).build(), 14),
                ParseError.Reason.V2_BAD_FAMILY),
            row("protocol 3, 14 bytes", Arrays.copyOf(V2Bytes.local().familyProtocol(0x13).build(), 14),
                ParseError.Reason.V2_BAD_PROTOCOL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherVersionsAndCommands")
    void parseShouldRejectOtherVersionsAndCommandsAtOnce(String name, byte[] bytes, ParseError.Reason reason) {
        assertThat(rejected(bytes).reason()).isEqualTo(reason);
    }

    static Stream<Arguments> lengthsShorterThanTheAddressBlock() {
        return Stream.of(
            row("INET declaring 11 bytes", tcp4().length(11).header(), ParseError.Reason.V2_TRUNCATED_ADDRESS),
            row("INET6 with 35 bytes", V2Bytes.proxy().familyProtocol(0x21).raw(new byte[35]).build(),
                ParseError.Reason.V2_TRUNCATED_ADDRESS),
            row("UNIX with 215 bytes", V2Bytes.proxy().familyProtocol(0x31).raw(new byte[215]).build(),
                ParseError.Reason.V2_TRUNCATED_ADDRESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengthsShorterThanTheAddressBlock")
    void parseShouldRejectALengthShorterThanTheAddressBlock(String name, byte[] bytes, ParseError.Reason reason) {
        assertThat(rejected(bytes).reason()).isEqualTo(reason);
    }

    @Test
    void parseShouldWaitForTheWholeDeclaredLength() {
        byte[] header = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x05, "id").build();

        assertThat(parser.parse(Arrays.copyOf(header, header.length - 1)).isIncomplete()).isTrue();
        assertThat(parser.parse(Arrays.copyOf(header, 15)).isIncomplete()).isTrue();
        assertThat(parser.parse(header).isComplete()).isTrue();
    }

    @Test
    void parseShouldCapTheHeaderSizeWithoutWaitingForIt() {
        byte[] atLimit = V2Bytes.local().tlv(0x04, new byte[4096 - 16 - 3]).build();
        byte[] overLimit = V2Bytes.local().tlv(0x04, new byte[4097 - 16 - 3]).build();

        assertThat(accepted(atLimit).headerLength()).isEqualTo(4096);
        assertThat(rejected(Arrays.copyOf(overLimit, 16)).reason()).isEqualTo(ParseError.Reason.V2_TOO_LONG);
    }

    @Test
    void theLargestHeaderShouldBeAcceptedWhenTheLimitAllowsIt() {
        ProxyHeaderParser unlimited = new ProxyHeaderParser(ParserLimits.builder()
            .maxHeaderBytes(ParserLimits.V2_ABSOLUTE_MAX_LENGTH).maxTlvs(100_000).build());
        byte[] largest = V2Bytes.local().tlv(0x04, new byte[0xFFFF - 3]).build();

        assertThat(unlimited.parse(largest).headerLength()).isEqualTo(16 + 0xFFFF);
    }

    @Test
    void parseShouldReadTlvsRawAndInWireOrder() {
        byte[] bytes = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)
            .tlv(0x02, "mx.example").tlv(0x01, "smtp").tlv(0x05, "abc").tlv(0x04, new byte[2]).tlv(0x30, "ns1")
            .tlv(0xEA, "\u0001vpce-1").tlv(0x02, "second").build();
        ProxyData data = accepted(bytes);

        assertThat(data.tlvs()).extracting(Tlv::name)
            .containsExactly("AUTHORITY", "ALPN", "UNIQUE_ID", "NOOP", "NETNS", "xEA", "AUTHORITY");
        assertThat(data.firstTlv(TlvType.AUTHORITY).orElseThrow().valueAsString()).isEqualTo("mx.example");
        assertThat(data.tlvs().get(0).offset()).isEqualTo(28);
        assertThat(data.tlvStart().getAsInt()).isEqualTo(28);
        assertThat(data.tlvAreaMalformed()).isFalse();
    }

    @Test
    void sslTlvShouldExposeItsSubTlvsIncludingTheNewOnes() {
        byte[] bytes = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)
            .ssl(0x07, 0, subTlv(0x21, "TLSv1.3"), subTlv(0x22, "client"), subTlv(0x23, "TLS_AES_128_GCM_SHA256"),
                subTlv(0x24, "RSA-SHA256"), subTlv(0x25, "RSA2048"), subTlv(0x26, "X25519"),
                subTlv(0x27, "rsa_pss_rsae_sha256"), subTlv(0x28, "DER"))
            .build();
        Tlv ssl = accepted(bytes).firstTlv(TlvType.SSL).orElseThrow();

        assertThat(ssl.subTlvs()).extracting(Tlv::name).containsExactly("SSL_VERSION", "SSL_CN", "SSL_CIPHER",
            "SSL_SIG_ALG", "SSL_KEY_ALG", "SSL_GROUP", "SSL_SIG_SCHEME", "SSL_CLIENT_CERT");
        assertThat(ssl.subTlvs().get(0).offset()).isEqualTo(28 + 3 + 5);
    }

    /** TLV areas that do not frame; the last rows have exactly maxTlvs (128) TLVs before the fault. */
    static Stream<Arguments> malformedTlvAreas() {
        int max = ParserLimits.DEFAULT_MAX_TLVS;
        return Stream.of(
            Arguments.of("one stray byte after a TLV", tcp4().tlv(0x05, "id").tlvBytes(new byte[1]).build()),
            Arguments.of("a TLV declaring 9 bytes with 2 left", tcp4().tlvBytes(new byte[] {0x05, 0, 9, 'i', 'd'}).build()),
            Arguments.of("an SSL TLV of 4 bytes", tcp4().tlv(0x20, new byte[4]).build()),
            Arguments.of("an SSL sub-TLV declaring 9 bytes with 1 left",
                tcp4().tlv(0x20, new byte[] {1, 0, 0, 0, 0, 0x21, 0, 9, 'x'}).build()),
            Arguments.of(max + " TLVs then 1 stray byte", tcp4().tlvBytes(noops(max)).tlvBytes(new byte[1]).build()),
            Arguments.of(max + " TLVs then 2 stray bytes", tcp4().tlvBytes(noops(max)).tlvBytes(new byte[2]).build()),
            Arguments.of(max + " TLVs then a TLV declaring 1 byte with 0 left",
                tcp4().tlvBytes(noops(max)).tlvBytes(new byte[] {0x04, 0, 1}).build()),
            Arguments.of("SSL with " + (max - 1) + " sub-TLVs (" + max + " in all) then 1 stray byte",
                tcp4().ssl(0, 0, noops(max - 1), new byte[1]).build()),
            Arguments.of("SSL with " + (max - 1) + " sub-TLVs (" + max + " in all) then 2 stray bytes",
                tcp4().ssl(0, 0, noops(max - 1), new byte[2]).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTlvAreas")
    void malformedTlvAreasShouldBeToleratedAndFlagged(String name, byte[] bytes) {
        ProxyData data = accepted(bytes);

        assertThat(data.tlvAreaMalformed()).isTrue();
        assertThat(data.tlvs()).isEmpty();
        assertThat(data.hasClientAddress()).isTrue();
    }

    @Test
    void aFinalZeroLengthTlvShouldBeKept() {
        ProxyData data = accepted(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x04, new byte[0]).build());

        assertThat(data.tlvs()).extracting(Tlv::name).containsExactly("NOOP");
    }

    static Stream<Arguments> tlvCounts() {
        int max = ParserLimits.DEFAULT_MAX_TLVS;
        V2Bytes local129 = V2Bytes.local();
        for (int i = 0; i < 129; i++) {
            local129.tlv(0x04, new byte[0]);
        }
        return Stream.of(
            row(max + " TLVs", tcp4().tlvBytes(noops(max)).build(), max),
            row(max + 1 + " TLVs", tcp4().tlvBytes(noops(max + 1)).build(), ParseError.Reason.V2_TOO_MANY_TLVS),
            row("129 TLVs on a LOCAL header", local129.build(), ParseError.Reason.V2_TOO_MANY_TLVS),
            row("SSL with " + (max - 1) + " sub-TLVs (" + max + " in all)", tcp4().ssl(0, 0, noops(max - 1)).build(), max),
            row("SSL with " + max + " sub-TLVs (" + (max + 1) + " in all)", tcp4().ssl(0, 0, noops(max)).build(),
                ParseError.Reason.V2_TOO_MANY_TLVS));
    }

    /** @param expected the TLVs read, SSL sub-TLVs included, or the reason for the rejection */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tlvCounts")
    void tlvsShouldBeCountedUpToTheLimit(String name, byte[] bytes, Object expected) {
        if (expected instanceof ParseError.Reason) {
            assertThat(rejected(bytes).reason()).isEqualTo(expected);
            return;
        }
        ProxyData data = accepted(bytes);
        int read = data.tlvs().size() + data.tlvs().stream().mapToInt(tlv -> tlv.subTlvs().size()).sum();

        assertThat(data.tlvAreaMalformed()).isFalse();
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void crc32cShouldMatchTheSpecCheckValue() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));

        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void aCorrectCrc32cShouldBeVerified() {
        ProxyData data = accepted(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x05, "x").crc32c().then("not covered").build());

        assertThat(data.crc32c()).isEqualTo(Crc32cStatus.VALID);
    }

    @Test
    void aWrongCrc32cShouldBeRejectedAndDescribed() {
        byte[] header = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).crc32c().tlv(0x05, "x").build();
        header[header.length - 1] ^= 1;
        ParseResult result = parser.parse(header);

        assertThat(result.error().orElseThrow().reason()).isEqualTo(ParseError.Reason.CRC32C_MISMATCH);
        assertThat(result.rejectedHeader().orElseThrow().crc32c()).isEqualTo(Crc32cStatus.INVALID);
        assertThat(result.rejectedHeader().orElseThrow().isValid()).isFalse();
    }

    @Test
    void aCrc32cOfAnotherLengthShouldBeRejected() {
        byte[] header = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x03, new byte[3]).build();

        assertThat(rejected(header).reason()).isEqualTo(ParseError.Reason.CRC32C_BAD_LENGTH);
    }

    @Test
    void everyCrc32cTlvShouldBeChecked() {
        byte[] twoGood = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).crc32c().build();
        byte[] withSecond = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).crc32c().tlv(0x03, new byte[4]).build();

        assertThat(accepted(twoGood).crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(rejected(withSecond).reason()).isEqualTo(ParseError.Reason.CRC32C_MISMATCH);
    }

    static Stream<Arguments> crc32cPolicies() {
        byte[] without = tcp4().build();
        byte[] wrong = tcp4().tlv(0x03, new byte[4]).build();
        return Stream.of(
            Arguments.of("require, no CRC32C", Crc32cPolicy.REQUIRE, without, ParseError.Reason.CRC32C_MISSING),
            Arguments.of("require, a good CRC32C", Crc32cPolicy.REQUIRE, tcp4().crc32c().build(), Crc32cStatus.VALID),
            Arguments.of("require, a v1 line", Crc32cPolicy.REQUIRE, "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII),
                Crc32cStatus.ABSENT),
            Arguments.of("ignore, a wrong CRC32C", Crc32cPolicy.IGNORE, wrong, Crc32cStatus.NOT_CHECKED),
            Arguments.of("verify, no CRC32C", Crc32cPolicy.VERIFY, without, Crc32cStatus.ABSENT));
    }

    /** @param expected the {@link Crc32cStatus} of the accepted header, or the reason for the rejection */
    @ParameterizedTest(name = "{0}")
    @MethodSource("crc32cPolicies")
    void crc32cPoliciesShouldApply(String name, Crc32cPolicy policy, byte[] bytes, Object expected) {
        ParseResult result = new ProxyHeaderParser(ParserLimits.builder().crc32cPolicy(policy).build()).parse(bytes);

        if (expected instanceof ParseError.Reason) {
            assertThat(result.error().orElseThrow().reason()).isEqualTo(expected);
        } else {
            assertThat(result.proxyData().orElseThrow(() -> new AssertionError(result)).crc32c()).isEqualTo(expected);
        }
    }

    @Test
    void crc32cPoliciesShouldParseFromConfiguration() {
        assertThat(Crc32cPolicy.fromConfig("Verify")).contains(Crc32cPolicy.VERIFY);
        assertThat(Crc32cPolicy.fromConfig(" require ")).contains(Crc32cPolicy.REQUIRE);
        assertThat(Crc32cPolicy.fromConfig("off")).isEmpty();
        assertThat(Crc32cPolicy.fromConfig(null)).isEmpty();
    }

    static Stream<Arguments> misdirectedTraffic() {
        return Stream.of(
            row("a TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}, ParseError.Reason.TLS_INSTEAD_OF_HEADER),
            row("EHLO", "EHLO client\r\n".getBytes(StandardCharsets.US_ASCII), ParseError.Reason.SMTP_INSTEAD_OF_HEADER),
            row("lower-case helo", "helo client\r\n".getBytes(StandardCharsets.US_ASCII), ParseError.Reason.SMTP_INSTEAD_OF_HEADER),
            row("HTTP GET", "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), ParseError.Reason.HTTP_INSTEAD_OF_HEADER),
            row("HTTP POST", "POST /x HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), ParseError.Reason.HTTP_INSTEAD_OF_HEADER),
            row("a NUL byte", new byte[] {0}, ParseError.Reason.NOT_PROXY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misdirectedTraffic")
    void misdirectedTrafficShouldBeNamed(String name, byte[] bytes, ParseError.Reason reason) {
        assertThat(rejected(bytes).reason()).isEqualTo(reason);
    }

    @Test
    void emptyInputShouldWait() {
        assertThat(parser.parse(new byte[0]).isIncomplete()).isTrue();
        assertThat(parser.parseFinal(new byte[0], 0, 0).error().orElseThrow().reason()).isEqualTo(ParseError.Reason.INCOMPLETE);
    }
}
