package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The v1 rules of proxy-spec.md §2, one by one. */
class V1ParserTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ParseResult parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private ProxyData accepted(String text) {
        ParseResult result = parse(text);
        assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.COMPLETE);
        return result.proxyData().orElseThrow();
    }

    private void assertRejected(String text, ParseError.Reason reason) {
        ParseResult result = parse(text);
        assertThat(result.status()).as(text).isEqualTo(ParseResult.Status.INVALID);
        assertThat(result.error().orElseThrow().reason()).as(result.toString()).isEqualTo(reason);
    }

    /** One table row: its name (the test's display name), the bytes as ISO-8859-1 text, the reason expected. */
    private static Arguments row(String name, String text, ParseError.Reason reason) {
        return Arguments.of(name, text, reason);
    }

    @Test
    void parseShouldReadTcp4Line() {
        ProxyData data = accepted("PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n");

        assertThat(data.version().getAsInt()).isEqualTo(1);
        assertThat(data.command()).contains(Command.PROXY);
        assertThat(data.family()).contains(AddressFamily.INET);
        assertThat(data.protocol()).contains(TransportProtocol.STREAM);
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo("192.0.2.1");
        assertThat(AddressText.of(data.destinationAddress().orElseThrow())).isEqualTo("198.51.100.2");
        assertThat(data.sourcePort().getAsInt()).isEqualTo(56324);
        assertThat(data.destinationPort().getAsInt()).isEqualTo(25);
        assertThat(data.hasClientAddress()).isTrue();
        assertThat(data.headerLength()).isEqualTo(44);
        assertThat(data.rest()).isEmpty();
        assertThat(data.tlvs()).isEmpty();
        assertThat(data.crc32c()).isEqualTo(Crc32cStatus.ABSENT);
        assertThat(data.isValid()).isTrue();
    }

    @Test
    void parseShouldLeaveAPipelinedCommandUntouched() {
        String line = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n";
        ParseResult result = parse(line + "EHLO client.example\r\n");

        assertThat(result.headerLength()).isEqualTo(line.length());
        assertThat(result.proxyData().orElseThrow().wholeRaw()).isEqualTo(line.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aSecondHeaderShouldBeApplicationData() {
        String line = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n";
        ParseResult result = parse(line + "PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n");

        assertThat(result.headerLength()).isEqualTo(line.length());
        assertThat(AddressText.of(result.proxyData().orElseThrow().sourceAddress().orElseThrow())).isEqualTo("192.0.2.1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "2001:db8::1|2001:db8::1",
        "2001:DB8:0:0:0:0:0:1|2001:db8::1",
        "0123:4567:89ab:cdef:0123:4567:89ab:cdef|123:4567:89ab:cdef:123:4567:89ab:cdef",
        "::|::",
        "::1|::1",
        "1::|1::",
        "fe80::1:0:0:0|fe80::1:0:0:0",
        "1:0:0:1:0:0:0:1|1:0:0:1::1",
        "::ffff:192.0.2.1|::ffff:c000:201",
        "1:2:3:4:5:6:1.2.3.4|1:2:3:4:5:6:102:304",
        "1::2:3:4:5:6:7|1:0:2:3:4:5:6:7"
    })
    void parseShouldAcceptIpv6TextForms(String literalAndCanonical) {
        String[] parts = literalAndCanonical.split("\\|");
        ProxyData data = accepted("PROXY TCP6 " + parts[0] + " ::1 1 2\r\n");

        assertThat(data.sourceAddress().orElseThrow()).isInstanceOf(Inet6Address.class);
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo(parts[1]);
        assertThat(data.family()).contains(AddressFamily.INET6);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"fe80::1%eth0", "[::1]", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9", "12345::1", "1::2:3:4:5:6:7:8", "::g", "::1.2.3", "::1.2.3.4:5", "::01.2.3.4",
        "::ffff:256.1.1.1", "::/64", "localhost", "::1 ", "1:2:3:4:5:6:7:1.2.3.4"})
    void parseShouldRejectBadIpv6(String literal) {
        assertRejected("PROXY TCP6 " + literal + " ::1 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..3.4", "1.2.3.", ".1.2.3.4",
        "+1.2.3.4", "1.2.3.4a", "0x1.2.3.4", "localhost", "a.b.c.d", "1.2.3.1234"})
    void parseShouldRejectBadIpv4(String literal) {
        assertRejected("PROXY TCP4 " + literal + " 1.2.3.4 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS);
    }

    @Test
    void parseShouldAcceptEdgeIpv4Values() {
        ProxyData data = accepted("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n");

        assertThat(data.sourceAddress().orElseThrow()).isInstanceOf(Inet4Address.class);
        assertThat(data.sourcePort().getAsInt()).isZero();
        assertThat(data.destinationPort().getAsInt()).isEqualTo(65535);
    }

    static Stream<Arguments> otherFamilyAddresses() {
        return Stream.of(
            row("TCP6 with an IPv4 source", "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", ParseError.Reason.V1_ADDRESS_FAMILY_MISMATCH),
            row("TCP6 with an IPv4 destination", "PROXY TCP6 ::1 1.2.3.4 1 2\r\n", ParseError.Reason.V1_ADDRESS_FAMILY_MISMATCH),
            row("TCP4 with an IPv6 source", "PROXY TCP4 ::1 1.2.3.4 1 2\r\n", ParseError.Reason.V1_ADDRESS_FAMILY_MISMATCH),
            row("TCP4 with an IPv4-mapped destination", "PROXY TCP4 1.2.3.4 ::ffff:1.2.3.4 1 2\r\n",
                ParseError.Reason.V1_ADDRESS_FAMILY_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherFamilyAddresses")
    void parseShouldRejectAddressesOfTheOtherFamily(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"080", "00", "65536", "99999", "100000", "-1", "+1", "1_000", "1\t", "0x10", "", "1e3", " 1"})
    void parseShouldRejectBadPorts(String port) {
        assertRejected("PROXY TCP4 1.2.3.4 5.6.7.8 " + port + " 25\r\n", ParseError.Reason.V1_BAD_PORT);
    }

    static Stream<Arguments> badPortFields() {
        return Stream.of(
            row("leading zero in the source port", "PROXY TCP4 1.2.3.4 5.6.7.8 080 25\r\n", ParseError.Reason.V1_BAD_PORT),
            row("destination port 65536", "PROXY TCP4 1.2.3.4 5.6.7.8 25 65536\r\n", ParseError.Reason.V1_BAD_PORT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPortFields")
    void parseShouldRejectABadPortInEitherField(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    @Test
    void parseShouldNameTheBadPort() {
        assertThat(parse("PROXY TCP4 1.2.3.4 5.6.7.8 25 65536\r\n").error().orElseThrow().message())
            .contains("destination port").contains("65536");
    }

    static Stream<Arguments> doubledOrOtherSpaces() {
        return Stream.of(
            row("two spaces before the protocol", "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_PROTOCOL),
            row("two spaces before the source", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS),
            row("two spaces before the destination", "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS),
            row("two spaces before the source port", "PROXY TCP4 1.2.3.4 5.6.7.8  1 2\r\n", ParseError.Reason.V1_BAD_PORT),
            row("two spaces before the destination port", "PROXY TCP4 1.2.3.4 5.6.7.8 1  2\r\n", ParseError.Reason.V1_BAD_PORT),
            row("a tab after PROXY", "PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_SIGNATURE),
            row("a tab after the protocol", "PROXY TCP4\t1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_PROTOCOL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doubledOrOtherSpaces")
    void parseShouldRequireSingleSpaces(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    static Stream<Arguments> afterTheDestinationPort() {
        return Stream.of(
            row("a trailing space", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", ParseError.Reason.V1_EXTRA_DATA),
            row("a fifth field", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", ParseError.Reason.V1_EXTRA_DATA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterTheDestinationPort")
    void parseShouldRejectAnythingAfterTheDestinationPort(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    static Stream<Arguments> missingFields() {
        return Stream.of(
            row("no field after the protocol", "PROXY TCP4\r\n", ParseError.Reason.V1_MISSING_FIELD),
            row("no destination port", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", ParseError.Reason.V1_MISSING_FIELD),
            row("no destination address", "PROXY TCP4 1.2.3.4\r\n", ParseError.Reason.V1_MISSING_FIELD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFields")
    void parseShouldRejectMissingFields(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"tcp4", "TCP", "TCP5", "TCP64", "UDP4", "UNIX", "unknown", "UNKNOWNX", ""})
    void parseShouldRejectUnknownProtocolTokens(String token) {
        assertRejected("PROXY " + token + " 1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_PROTOCOL);
    }

    @Test
    void parseShouldAcceptUnknownAndIgnoreTheRestOfTheLine() {
        ProxyData shortForm = accepted("PROXY UNKNOWN\r\n");
        ProxyData longForm = accepted("PROXY UNKNOWN ffff::1 ffff::2 1 2 and \u00ff\u0000 more\r\nEHLO x\r\n"); // ÿ, NUL

        assertThat(shortForm.isUnknown()).isTrue();
        assertThat(shortForm.family()).contains(AddressFamily.UNSPEC);
        assertThat(shortForm.protocol()).contains(TransportProtocol.UNSPEC);
        assertThat(shortForm.hasClientAddress()).isFalse();
        assertThat(shortForm.rest()).isEmpty();
        assertThat(longForm.sourceAddress()).isEmpty();
        assertThat(longForm.hasClientAddress()).isFalse();
        assertThat(new String(longForm.rest(), StandardCharsets.ISO_8859_1))
            .isEqualTo(" ffff::1 ffff::2 1 2 and \u00ff\u0000 more"); // ÿ, NUL
    }

    @Test
    void parseShouldAcceptA107ByteLineAndRejectLongerOnes() {
        String prefix = "PROXY UNKNOWN ";
        String line107 = prefix + "x".repeat(107 - prefix.length() - 2) + "\r\n";
        assertThat(line107).hasSize(107);
        assertThat(accepted(line107).headerLength()).isEqualTo(107);

        String line108 = prefix + "x".repeat(108 - prefix.length() - 2) + "\r\n";
        assertRejected(line108, ParseError.Reason.V1_TOO_LONG);
    }

    @Test
    void parseShouldRejectAtOnce107BytesWithoutCrlf() {
        String noLineEnd = "PROXY UNKNOWN " + "x".repeat(93);
        assertThat(noLineEnd).hasSize(107);

        assertRejected(noLineEnd, ParseError.Reason.V1_TOO_LONG);
        assertThat(parse(noLineEnd.substring(0, 106)).isIncomplete()).isTrue();
    }

    @Test
    void parseShouldAcceptTheLongestTcp6Line() {
        String line = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";

        assertThat(line).hasSize(104);
        assertThat(accepted(line).headerLength()).isEqualTo(104);
    }

    static Stream<Arguments> loneCrOrLf() {
        return Stream.of(
            row("UNKNOWN ended by a lone LF", "PROXY UNKNOWN\n", ParseError.Reason.V1_BAD_LINE_ENDING),
            row("UNKNOWN with a CR followed by another byte", "PROXY UNKNOWN\rx", ParseError.Reason.V1_BAD_LINE_ENDING),
            row("TCP4 ended by CR CR LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", ParseError.Reason.V1_BAD_LINE_ENDING),
            row("a lone CR inside the UNKNOWN rest", "PROXY UNKNOWN a\rb\r\n", ParseError.Reason.V1_BAD_LINE_ENDING),
            row("TCP4 ended by a lone LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", ParseError.Reason.V1_BAD_LINE_ENDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loneCrOrLf")
    void parseShouldRejectLoneCrOrLf(String name, String text, ParseError.Reason reason) {
        assertRejected(text, reason);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"PROXY TCP4 1.2.3.4 5.6.7.8 1 2", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r", "PROX", "P"})
    void parseShouldWaitForTheLineEnd(String prefix) {
        assertThat(parse(prefix).isIncomplete()).isTrue();
    }

    static Stream<Arguments> wrongSignatures() {
        return Stream.of(
            row("PROXY1", "PROXY1 UNKNOWN\r\n", ParseError.Reason.V1_BAD_SIGNATURE),
            row("PROXI", "PROXI TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.NOT_PROXY),
            row("lower-case proxy", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ParseError.Reason.NOT_PROXY),
            row("PROXY then CRLF", "PROXY\r\n", ParseError.Reason.V1_BAD_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongSignatures")
    void parseShouldRejectWrongSignatures(String name, String text, ParseError.Reason reason) {
        assertRejected(text, reason);
    }

    static Stream<Arguments> hostNames() {
        return Stream.of(
            row("TCP4 localhost", "PROXY TCP4 localhost 5.6.7.8 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS),
            row("TCP6 cafe", "PROXY TCP6 cafe ::1 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS),
            row("TCP6 dead.beef", "PROXY TCP6 dead.beef ::1 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostNames")
    void addressesShouldNeverBeResolved(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }

    static Stream<Arguments> nonAsciiDigits() {
        return Stream.of(
            row("superscript one in an address", "PROXY TCP4 1.2.3.4 5.6.7.\u00b9 1 2\r\n", ParseError.Reason.V1_BAD_ADDRESS), // superscript one
            row("Arabic-Indic one as a port (sent as '?': ISO-8859-1 has no such character)",
                "PROXY TCP4 1.2.3.4 5.6.7.8 \u0661 2\r\n", ParseError.Reason.V1_BAD_PORT)); // Arabic-Indic one
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonAsciiDigits")
    void nonAsciiBytesShouldBeRejectedInAddressLines(String name, String line, ParseError.Reason reason) {
        assertRejected(line, reason);
    }
}
