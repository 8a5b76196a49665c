package dev.jamesproxy.james.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Builds PROXY headers byte by byte for the integration tests, independently of the parser under test. */
public final class ProxyHeaders {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /** {@code PROXY TCP4 src dst sport dport\r\n}. */
    public static byte[] v1Tcp4(String source, int sourcePort, String destination, int destinationPort) {
        return ascii("PROXY TCP4 " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n");
    }

    /** {@code PROXY TCP6 src dst sport dport\r\n}. */
    public static byte[] v1Tcp6(String source, int sourcePort, String destination, int destinationPort) {
        return ascii("PROXY TCP6 " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n");
    }

    /** {@code PROXY UNKNOWN\r\n}. */
    public static byte[] v1Unknown() {
        return ascii("PROXY UNKNOWN\r\n");
    }

    /** A v2 builder for PROXY over TCP from {@code source} to {@code destination} (both IPv4 or both IPv6). */
    public static V2 v2(String source, int sourcePort, String destination, int destinationPort) {
        return new V2(0x21, address(source), sourcePort, address(destination), destinationPort);
    }

    /** A v2 LOCAL header (a health check): no addresses. */
    public static V2 v2Local() {
        return new V2(0x20, null, 0, null, 0);
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] address(String literal) {
        try {
            byte[] raw = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && raw.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(raw, 0, mapped, 12, 4);
                return mapped;
            }
            return raw;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A v2 header under construction. */
    public static final class V2 {
        private final int versionCommand;
        private final byte[] source;
        private final int sourcePort;
        private final byte[] destination;
        private final int destinationPort;
        private final ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
        private boolean crc;
        private boolean corruptCrc;

        private V2(int versionCommand, byte[] source, int sourcePort, byte[] destination, int destinationPort) {
            this.versionCommand = versionCommand;
            this.source = source;
            this.sourcePort = sourcePort;
            this.destination = destination;
            this.destinationPort = destinationPort;
        }

        /** Appends one TLV. */
        public V2 tlv(int type, byte[] value) {
            tlvs.write(type);
            tlvs.write(value.length >> 8);
            tlvs.write(value.length & 0xFF);
            tlvs.writeBytes(value);
            return this;
        }

        /** Appends a CRC32C TLV with the right checksum. */
        public V2 crc32c() {
            this.crc = true;
            return this;
        }

        /** Appends a CRC32C TLV whose checksum is off by one. */
        public V2 badCrc32c() {
            this.crc = true;
            this.corruptCrc = true;
            return this;
        }

        public byte[] build() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int familyProtocol = 0x00;
            if (source != null) {
                familyProtocol = source.length == 4 ? 0x11 : 0x21;
                body.writeBytes(source);
                body.writeBytes(destination);
                body.write(sourcePort >> 8);
                body.write(sourcePort & 0xFF);
                body.write(destinationPort >> 8);
                body.write(destinationPort & 0xFF);
            }
            body.writeBytes(tlvs.toByteArray());
            int crcOffset = -1;
            if (crc) {
                crcOffset = 16 + body.size() + 3;
                body.writeBytes(new byte[] {0x03, 0x00, 0x04, 0, 0, 0, 0});
            }
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            header.writeBytes(V2_SIGNATURE);
            header.write(versionCommand);
            header.write(familyProtocol);
            header.write(body.size() >> 8);
            header.write(body.size() & 0xFF);
            header.writeBytes(body.toByteArray());
            byte[] bytes = header.toByteArray();
            if (crc) {
                CRC32C checksum = new CRC32C();
                checksum.update(bytes, 0, bytes.length);
                long value = checksum.getValue() + (corruptCrc ? 1 : 0);
                bytes[crcOffset] = (byte) (value >> 24);
                bytes[crcOffset + 1] = (byte) (value >> 16);
                bytes[crcOffset + 2] = (byte) (value >> 8);
                bytes[crcOffset + 3] = (byte) value;
            }
            return bytes;
        }
    }
}
