package dev.jamesproxy.protocol;

import static dev.jamesproxy.protocol.testing.V2Bytes.subTlv;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.protocol.testing.V2Bytes;
import dev.jamesproxy.protocol.tlv.AwsVpcEndpoint;
import dev.jamesproxy.protocol.tlv.AzurePrivateLink;
import dev.jamesproxy.protocol.tlv.GcpPrivateServiceConnect;
import dev.jamesproxy.protocol.tlv.SslInfo;

class TlvViewsTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ProxyData parse(V2Bytes bytes) {
        return parser.parse(bytes.build()).proxyData().orElseThrow();
    }

    @Test
    void sslInfoShouldExposeTheTlsFacts() {
        SslInfo ssl = SslInfo.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).ssl(0x03, 0,
            subTlv(0x21, "TLSv1.3"), subTlv(0x22, "alice"), subTlv(0x23, "TLS_AES_256_GCM_SHA384"),
            subTlv(0x24, "RSA-SHA256"), subTlv(0x25, "RSA2048"), subTlv(0x26, "X25519"), subTlv(0x27, "ecdsa_secp256r1_sha256"),
            subTlv(0x28, "\u0030\u0082")))).orElseThrow(); // DER bytes 0x30 0x82

        assertThat(ssl.isTls()).isTrue();
        assertThat(ssl.hasClientCertificate()).isTrue();
        assertThat(ssl.isClientCertificateVerified()).isTrue();
        assertThat(ssl.version()).contains("TLSv1.3");
        assertThat(ssl.commonName()).contains("alice");
        assertThat(ssl.cipher()).contains("TLS_AES_256_GCM_SHA384");
        assertThat(ssl.signatureAlgorithm()).contains("RSA-SHA256");
        assertThat(ssl.keyAlgorithm()).contains("RSA2048");
        assertThat(ssl.group()).contains("X25519");
        assertThat(ssl.signatureScheme()).contains("ecdsa_secp256r1_sha256");
        assertThat(ssl.clientCertificate()).hasValueSatisfying(der -> assertThat(der).hasSize(3));
    }

    @Test
    void verifyZeroWithoutACertificateShouldNotCountAsVerified() {
        SslInfo noCert = SslInfo.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).ssl(0x01, 0))).orElseThrow();
        SslInfo failed = SslInfo.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).ssl(0x03, 0xFFFFFFFFL))).orElseThrow();

        assertThat(noCert.isClientCertificateVerified()).isFalse();
        assertThat(failed.hasClientCertificate()).isTrue();
        assertThat(failed.verify()).isEqualTo(0xFFFFFFFFL);
        assertThat(failed.isClientCertificateVerified()).isFalse();
        assertThat(SslInfo.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)))).isEmpty();
    }

    @Test
    void awsVpcEndpointShouldBeReadFromSubtypeOne() {
        assertThat(AwsVpcEndpoint.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)
            .tlv(0xEA, "\u0001vpce-08d2bf15fac5001c9")))).contains("vpce-08d2bf15fac5001c9");
        assertThat(AwsVpcEndpoint.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0xEA, "\u0002vpce-1")))).isEmpty();
        assertThat(AwsVpcEndpoint.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0xEA, "\u0001vpce 1")))).isEmpty();
    }

    @Test
    void azureLinkIdShouldBeLittleEndian() {
        assertThat(AzurePrivateLink.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)
            .tlv(0xEE, new byte[] {1, 0x78, 0x56, 0x34, (byte) 0x92})))).hasValue(0x92345678L);
        assertThat(AzurePrivateLink.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0xEE, new byte[] {1, 2})))).isEmpty();
    }

    @Test
    void gcpPscIdShouldBeBigEndianUnsigned() {
        assertThat(GcpPrivateServiceConnect.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2)
            .tlv(0xE0, new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 1, 2})))).hasValue(0xFF00000000000102L);
        assertThat(GcpPrivateServiceConnect.from(parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0xE0, new byte[4])))).isEmpty();
    }
}
