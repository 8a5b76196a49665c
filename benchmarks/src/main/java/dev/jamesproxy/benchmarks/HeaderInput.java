package dev.jamesproxy.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The headers both parsers are fed, byte for byte the same. Each is what a real proxy sends for an SMTP
 * connection; the 5-TLV header is what HAProxy sends with {@code send-proxy-v2-ssl-cn} plus ALPN,
 * authority, unique id and {@code crc32c}.
 */
public enum HeaderInput {
    V1_TCP4(v1("PROXY TCP4 192.168.10.21 10.0.0.5 56324 25\r\n")),
    V1_TCP6(v1("PROXY TCP6 2001:db8:85a3::8a2e:370:7334 2001:db8::25 56324 25\r\n")),
    V2_TCP4(v2Tcp4(false)),
    V2_TCP4_5TLVS(v2Tcp4(true)),
    V2_TCP6(v2Tcp6()),
    /**
     * The 5-TLV header delivered in 3 reads: 10 bytes (inside the signature), up to byte 100 (inside the
     * SSL sub-TLVs), then the rest.
     */
    V2_TCP4_5TLVS_3FRAGMENTS(v2Tcp4(true), 10, 100);

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

    private static byte[] v1(String line) {
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2Tcp4(boolean withTlvs) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        write(block, 192, 168, 10, 21);         // source 192.168.10.21
        write(block, 10, 0, 0, 5);              // destination 10.0.0.5
        write(block, 56324 >>> 8, 56324 & 0xFF); // source port
        write(block, 0, 25);                    // destination port
        if (!withTlvs) {
            return v2(0x11, block.toByteArray(), -1); // INET, STREAM
        }
        int crcValueOffset = block.size() + 3;
        tlv(block, 0x03, new byte[4]);          // CRC32C, filled in below
        tlv(block, 0x01, ascii("smtp"));        // ALPN
        tlv(block, 0x02, ascii("mx.example.com")); // AUTHORITY
        tlv(block, 0x05, ascii("4f1c2e8a9b7d6c5e")); // UNIQUE_ID
        ByteArrayOutputStream ssl = new ByteArrayOutputStream();
        write(ssl, 0x07);                       // client: SSL | CERT_CONN | CERT_SESS
        write(ssl, 0, 0, 0, 0);                 // verify: 0, the client certificate verified
        tlv(ssl, 0x21, ascii("TLSv1.3"));       // SSL_VERSION
        tlv(ssl, 0x22, ascii("client.example.com")); // SSL_CN
        tlv(ssl, 0x23, ascii("TLS_AES_256_GCM_SHA384")); // SSL_CIPHER
        tlv(ssl, 0x24, ascii("SHA256"));        // SSL_SIG_ALG
        tlv(ssl, 0x25, ascii("RSA2048"));       // SSL_KEY_ALG
        tlv(block, 0x20, ssl.toByteArray());    // SSL with 5 sub-TLVs
        return v2(0x11, block.toByteArray(), crcValueOffset);
    }

    private static byte[] v2Tcp6() {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        write(block, 0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34);
        write(block, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x25);
        write(block, 56324 >>> 8, 56324 & 0xFF, 0, 25);
        return v2(0x21, block.toByteArray(), -1); // INET6, STREAM
    }

    /** A PROXY command v2 header; {@code crcValueOffset} (from the address block start) gets the CRC32C. */
    private static byte[] v2(int familyProtocol, byte[] afterFixedPart, int crcValueOffset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A); // v2 signature
        write(out, 0x21, familyProtocol);       // version 2, command PROXY
        write(out, afterFixedPart.length >>> 8, afterFixedPart.length & 0xFF);
        out.write(afterFixedPart, 0, afterFixedPart.length);
        byte[] header = out.toByteArray();
        if (crcValueOffset >= 0) {
            CRC32C crc = new CRC32C();
            crc.update(header, 0, header.length); // computed with the value still zero, as the spec says
            long value = crc.getValue();
            int at = 16 + crcValueOffset;
            for (int i = 0; i < 4; i++) {
                header[at + i] = (byte) (value >>> (24 - 8 * i));
            }
        }
        return header;
    }

    private static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
        write(out, type, value.length >>> 8, value.length & 0xFF);
        out.write(value, 0, value.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(ByteArrayOutputStream out, int... values) {
        for (int value : values) {
            out.write(value);
        }
    }
}
