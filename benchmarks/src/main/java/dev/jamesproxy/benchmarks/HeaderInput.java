package dev.jamesproxy.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import dev.jamesproxy.protocol.Command;
import dev.jamesproxy.protocol.HeaderWriter;
import dev.jamesproxy.protocol.TlvType;

/**
 * The headers both parsers are fed, byte for byte the same. Each is what a real proxy sends for an SMTP
 * connection; the 5-TLV header is what HAProxy sends with {@code send-proxy-v2-ssl-cn} plus ALPN,
 * authority, unique id and {@code crc32c}.
 */
public enum HeaderInput {
    V1_TCP4(v1("192.168.10.21", "10.0.0.5")),
    V1_TCP6(v1("2001:db8:85a3::8a2e:370:7334", "2001:db8::25")),
    V2_TCP4(v2Tcp4(false)),
    V2_TCP4_5TLVS(v2Tcp4(true)),
    V2_TCP6(v2Tcp6()),
    /**
     * The 5-TLV header delivered in 3 reads: 10 bytes (inside the signature), up to byte 100 (inside the
     * SSL sub-TLVs), then the rest.
     */
    V2_TCP4_5TLVS_3FRAGMENTS(v2Tcp4(true), 10, 100);

    private static final int CLIENT_PORT = 56324;
    private static final int SMTP_PORT = 25;

    private final byte[] bytes;
    private final int[] fragmentEnds;

    HeaderInput(byte[] bytes, int... fragmentEnds) {
        this.bytes = bytes;
        this.fragmentEnds = fragmentEnds;
    }

    /** A fresh copy of the whole header. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Where each fragment but the last ends; empty when the header arrives in one read. */
    public int[] fragmentEnds() {
        return fragmentEnds.clone();
    }

    private static byte[] v1(String client, String server) {
        return HeaderWriter.v1(endpoint(client, CLIENT_PORT), endpoint(server, SMTP_PORT)).toBytes();
    }

    private static byte[] v2Tcp4(boolean withTlvs) {
        HeaderWriter header = HeaderWriter.v2(Command.PROXY)
            .addresses(endpoint("192.168.10.21", CLIENT_PORT), endpoint("10.0.0.5", SMTP_PORT));
        if (!withTlvs) {
            return header.toBytes();
        }
        return header
            .crc32c()
            .tlv(TlvType.ALPN, "smtp")
            .tlv(TlvType.AUTHORITY, "mx.example.com")
            .tlv(TlvType.UNIQUE_ID, "4f1c2e8a9b7d6c5e")
            // client: SSL | CERT_CONN | CERT_SESS; verify 0: the client certificate verified
            .ssl(0x07, 0,
                sub(TlvType.SSL_VERSION, "TLSv1.3"),
                sub(TlvType.SSL_CN, "client.example.com"),
                sub(TlvType.SSL_CIPHER, "TLS_AES_256_GCM_SHA384"),
                sub(TlvType.SSL_SIG_ALG, "SHA256"),
                sub(TlvType.SSL_KEY_ALG, "RSA2048"))
            .toBytes();
    }

    private static byte[] v2Tcp6() {
        return HeaderWriter.v2(Command.PROXY)
            .addresses(endpoint("2001:db8:85a3::8a2e:370:7334", CLIENT_PORT), endpoint("2001:db8::25", SMTP_PORT))
            .toBytes();
    }

    private static byte[] sub(TlvType type, String value) {
        return HeaderWriter.encodeTlv(type.code(), value.getBytes(StandardCharsets.US_ASCII));
    }

    /** An IP literal's endpoint; a literal is parsed, never looked up. */
    private static InetSocketAddress endpoint(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
