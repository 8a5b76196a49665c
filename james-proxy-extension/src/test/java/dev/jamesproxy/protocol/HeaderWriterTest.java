package dev.jamesproxy.protocol;

import static dev.jamesproxy.protocol.HeaderWriter.encodeTlv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.protocol.testing.Vectors;

/** What {@link HeaderWriter} writes parses back to what it was told, and matches the shared corpus byte for byte. */
class HeaderWriterTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ProxyData parsed(HeaderWriter writer) {
        byte[] header = writer.toBytes();
        ParseResult result = parser.parse(header);
        assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.COMPLETE);
        assertThat(result.headerLength()).isEqualTo(header.length);
        return result.proxyData().orElseThrow();
    }

    private static InetSocketAddress endpoint(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void v1Tcp4ShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v1(endpoint("192.0.2.1", 56324), endpoint("198.51.100.2", 25)));

        assertThat(data.version().getAsInt()).isEqualTo(1);
        assertThat(data.family()).contains(AddressFamily.INET);
        assertThat(data.protocol()).contains(TransportProtocol.STREAM);
        assertThat(data.source()).contains(endpoint("192.0.2.1", 56324));
        assertThat(data.destination()).contains(endpoint("198.51.100.2", 25));
    }

    @Test
    void v1Tcp6ShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v1(endpoint("2001:db8::7", 0), endpoint("2001:db8::25", 65535)));

        assertThat(data.family()).contains(AddressFamily.INET6);
        assertThat(data.source()).contains(endpoint("2001:db8::7", 0));
        assertThat(data.destination()).contains(endpoint("2001:db8::25", 65535));
        assertThat(new String(data.wholeRaw(), StandardCharsets.US_ASCII))
            .isEqualTo("PROXY TCP6 2001:db8::7 2001:db8::25 0 65535\r\n");
    }

    @Test
    void v1WithOneIpv6AddressShouldWriteTcp6WithTheIpv4AddressMapped() {
        ProxyData data = parsed(HeaderWriter.v1(endpoint("192.0.2.1", 1), endpoint("2001:db8::25", 25)));

        assertThat(data.family()).contains(AddressFamily.INET6);
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo("::ffff:c000:201");
    }

    @Test
    void v1UnknownShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v1Unknown());

        assertThat(data.isUnknown()).isTrue();
        assertThat(data.family()).contains(AddressFamily.UNSPEC);
        assertThat(data.protocol()).contains(TransportProtocol.UNSPEC);
        assertThat(data.headerLength()).isEqualTo(15);
    }

    @Test
    void v2ProxyInetShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).addresses(endpoint("203.0.113.7", 40000),
            endpoint("192.0.2.25", 25)));

        assertThat(data.command()).contains(Command.PROXY);
        assertThat(data.family()).contains(AddressFamily.INET);
        assertThat(data.protocol()).contains(TransportProtocol.STREAM);
        assertThat(data.source()).contains(endpoint("203.0.113.7", 40000));
        assertThat(data.destination()).contains(endpoint("192.0.2.25", 25));
        assertThat(data.headerLength()).isEqualTo(28);
        assertThat(data.tlvs()).isEmpty();
    }

    @Test
    void v2ProxyInet6ShouldParseBackAndMapAnIpv4Address() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).addresses(endpoint("192.0.2.1", 1),
            endpoint("2001:db8::25", 25)));

        assertThat(data.family()).contains(AddressFamily.INET6);
        assertThat(AddressText.of(data.sourceAddress().orElseThrow())).isEqualTo("::ffff:c000:201");
        assertThat(data.destination()).contains(endpoint("2001:db8::25", 25));
        assertThat(data.headerLength()).isEqualTo(52);
    }

    @Test
    void v2UnixShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).unixPaths("/run/src.sock", "/run/dst"));

        assertThat(data.family()).contains(AddressFamily.UNIX);
        assertThat(data.protocol()).contains(TransportProtocol.STREAM);
        assertThat(data.sourcePath()).contains("/run/src.sock");
        assertThat(data.destinationPath()).contains("/run/dst");
        assertThat(data.headerLength()).isEqualTo(232);
    }

    @Test
    void v2UnspecShouldParseBack() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY));

        assertThat(data.command()).contains(Command.PROXY);
        assertThat(data.family()).contains(AddressFamily.UNSPEC);
        assertThat(data.protocol()).contains(TransportProtocol.UNSPEC);
        assertThat(data.hasClientAddress()).isFalse();
        assertThat(data.headerLength()).isEqualTo(16);
    }

    @Test
    void v2LocalShouldParseBackWithOrWithoutAddresses() {
        ProxyData empty = parsed(HeaderWriter.v2(Command.LOCAL));
        ProxyData withBlock = parsed(HeaderWriter.v2(Command.LOCAL).addresses(endpoint("10.0.0.1", 1),
            endpoint("10.0.0.2", 2)));

        assertThat(empty.isLocal()).isTrue();
        assertThat(empty.family()).contains(AddressFamily.UNSPEC);
        assertThat(withBlock.isLocal()).isTrue();
        assertThat(withBlock.family()).contains(AddressFamily.INET);
        assertThat(withBlock.source()).contains(endpoint("10.0.0.1", 1));
        assertThat(withBlock.hasClientAddress()).isFalse();
    }

    @Test
    void v2DgramShouldKeepItsProtocolWhateverTheOrder() {
        ProxyData after = parsed(HeaderWriter.v2(Command.PROXY).addresses(endpoint("1.2.3.4", 53),
            endpoint("5.6.7.8", 53)).protocol(TransportProtocol.DGRAM));
        ProxyData before = parsed(HeaderWriter.v2(Command.PROXY).protocol(TransportProtocol.DGRAM)
            .addresses(endpoint("1.2.3.4", 53), endpoint("5.6.7.8", 53)));

        assertThat(after.protocol()).contains(TransportProtocol.DGRAM);
        assertThat(before.protocol()).contains(TransportProtocol.DGRAM);
        assertThat(after.wholeRaw()).isEqualTo(before.wholeRaw());
    }

    @Test
    void v2TlvsShouldParseBackInWireOrder() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).addresses(endpoint("1.2.3.4", 1), endpoint("5.6.7.8", 2))
            .tlv(TlvType.AUTHORITY, "mx.example").tlv(0xEA, new byte[] {1, 'v'}).tlv(TlvType.NOOP, new byte[0])
            .tlv(TlvType.UNIQUE_ID, ascii("id-1")).tlv(TlvType.AUTHORITY, "second"));

        assertThat(data.tlvs()).extracting(Tlv::name).containsExactly("AUTHORITY", "xEA", "NOOP", "UNIQUE_ID", "AUTHORITY");
        assertThat(data.tlvs()).extracting(Tlv::valueAsString).containsExactly("mx.example", "\u0001v", "", "id-1", "second");
        assertThat(data.tlvStart().getAsInt()).isEqualTo(28);
        assertThat(data.tlvAreaMalformed()).isFalse();
        assertThat(data.crc32c()).isEqualTo(Crc32cStatus.ABSENT);
    }

    @Test
    void v2SslShouldParseBackWithItsSubTlvs() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).addresses(endpoint("1.2.3.4", 1), endpoint("5.6.7.8", 2))
            .ssl(0x07, 0xFFFF_FFFEL, encodeTlv(TlvType.SSL_VERSION.code(), ascii("TLSv1.3")),
                encodeTlv(TlvType.SSL_CN.code(), ascii("client.example"))));
        Tlv ssl = data.firstTlv(TlvType.SSL).orElseThrow();

        assertThat(ssl.valueByte(0)).isEqualTo(0x07);
        assertThat(ssl.valueUnsignedInt(1)).isEqualTo(0xFFFF_FFFEL);
        assertThat(ssl.subTlvs()).extracting(Tlv::name).containsExactly("SSL_VERSION", "SSL_CN");
        assertThat(ssl.subTlvs()).extracting(Tlv::valueAsString).containsExactly("TLSv1.3", "client.example");
    }

    @Test
    void v2Crc32cShouldBeValidWhereverItSits() {
        HeaderWriter base = HeaderWriter.v2(Command.PROXY).addresses(endpoint("1.2.3.4", 1), endpoint("5.6.7.8", 2));

        assertThat(parsed(base.crc32c()).crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(parsed(base.crc32c().tlv(TlvType.UNIQUE_ID, "x")).crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(parsed(base.tlv(TlvType.UNIQUE_ID, "x").crc32c()).crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(parsed(HeaderWriter.v2(Command.LOCAL).crc32c()).crc32c()).isEqualTo(Crc32cStatus.VALID);
    }

    @Test
    void v2SeveralCrc32cTlvsShouldEachBeValid() {
        ProxyData data = parsed(HeaderWriter.v2(Command.PROXY).crc32c().tlv(TlvType.UNIQUE_ID, "x").crc32c().crc32c());

        assertThat(data.crc32c()).isEqualTo(Crc32cStatus.VALID);
        assertThat(data.tlvs()).extracting(Tlv::name).containsExactly("CRC32C", "UNIQUE_ID", "CRC32C", "CRC32C");
    }

    @Test
    void rawBytesShouldFollowAsTheyAre() {
        byte[] header = HeaderWriter.v2(Command.LOCAL).raw(ascii("fake_tlv")).toBytes();
        ProxyData data = parser.parse(header).proxyData().orElseThrow();

        assertThat(new String(data.rest(), StandardCharsets.US_ASCII)).isEqualTo("fake_tlv");
        assertThat(data.tlvAreaMalformed()).isTrue();
    }

    @Test
    void theWriterShouldBeImmutable() {
        HeaderWriter base = HeaderWriter.v2(Command.PROXY);
        base.tlv(TlvType.NOOP, new byte[0]);
        base.crc32c();
        base.addresses(endpoint("1.2.3.4", 1), endpoint("5.6.7.8", 2));

        assertThat(base.toBytes()).hasSize(16);
    }

    @Test
    void theLargestBodyShouldBeWrittenAndALargerOneRefused() {
        assertThat(HeaderWriter.v2(Command.LOCAL).tlv(TlvType.NOOP, new byte[0xFFFF - 3]).toBytes()).hasSize(16 + 0xFFFF);
        assertThatThrownBy(() -> HeaderWriter.v2(Command.LOCAL).tlv(TlvType.NOOP, new byte[0xFFFF - 2]).toBytes())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("65535");
    }

    @Test
    void badArgumentsShouldBeRefusedAtOnce() {
        HeaderWriter v2 = HeaderWriter.v2(Command.PROXY);

        assertThatThrownBy(() -> v2.tlv(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.tlv(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.tlv(1, new byte[0x10000])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.ssl(256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.ssl(0, 0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.unixPaths("x".repeat(109), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v2.addresses(InetSocketAddress.createUnresolved("mx.example", 25), endpoint("1.2.3.4", 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderWriter.v1Unknown().crc32c()).isInstanceOf(IllegalStateException.class);
    }

    static Stream<Arguments> corpusHeaders() {
        return Stream.of(
            Arguments.of("v1-tcp4-haproxydoc", HeaderWriter.v1(endpoint("192.168.0.1", 56324), endpoint("192.168.0.11", 443))),
            Arguments.of("v1-public-cloudflare6", HeaderWriter.v1(endpoint("2001:db8::", 42300),
                endpoint("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 443))),
            Arguments.of("v1-unknown-short", HeaderWriter.v1Unknown()),
            Arguments.of("v2-local-unspec-empty", HeaderWriter.v2(Command.LOCAL)),
            Arguments.of("v2-local-inet-stream", HeaderWriter.v2(Command.LOCAL)
                .addresses(endpoint("10.212.4.33", 0), endpoint("10.11.12.13", 65535))),
            Arguments.of("v2-local-inet-dgram", HeaderWriter.v2(Command.LOCAL)
                .addresses(endpoint("10.212.4.33", 0), endpoint("10.11.12.13", 65535)).protocol(TransportProtocol.DGRAM)),
            Arguments.of("v2-local-inet6-stream", HeaderWriter.v2(Command.LOCAL)
                .addresses(endpoint("2020:dead::1", 65534), endpoint("2021:cafe::22", 8080))),
            Arguments.of("v2-local-unix-stream", HeaderWriter.v2(Command.LOCAL).unixPaths("/proc/source", "/proc/dest")),
            Arguments.of("v2-aiosmtpd-data1-exact", HeaderWriter.v2(Command.PROXY)
                .addresses(endpoint("127.0.0.1", 45138), endpoint("127.0.0.1", 25253))
                .crc32c()
                .tlv(TlvType.AUTHORITY, "AUTHORITY")
                .tlv(TlvType.UNIQUE_ID, "UNIQUE_ID")
                .ssl(0x01, 0, encodeTlv(TlvType.SSL_VERSION.code(), ascii("TLSv1.2")),
                    encodeTlv(TlvType.SSL_KEY_ALG.code(), ascii("RSA4096")),
                    encodeTlv(TlvType.SSL_SIG_ALG.code(), ascii("RSA-SHA256")),
                    encodeTlv(TlvType.SSL_CIPHER.code(), ascii("ECDHE-RSA-AES256-GCM-SHA384")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusHeaders")
    void headersShouldMatchTheCorpusByteForByte(String id, HeaderWriter writer) {
        Vectors.Case vector = Vectors.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        byte[] expected = Arrays.copyOf(vector.bytes(), vector.headerLength());

        assertThat(Hex.encode(writer.toBytes())).isEqualTo(Hex.encode(expected));
    }
}
