package dev.jamesproxy.james.testing;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import dev.jamesproxy.protocol.Command;
import dev.jamesproxy.protocol.HeaderWriter;

/** Builds PROXY headers for the integration tests, independently of the parser under test (v2 through HeaderWriter). */
public final class ProxyHeaders {
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
        return new V2(HeaderWriter.v2(Command.PROXY).addresses(new InetSocketAddress(address(source), sourcePort),
            new InetSocketAddress(address(destination), destinationPort)));
    }

    /** A v2 LOCAL header (a health check): no addresses. */
    public static V2 v2Local() {
        return new V2(HeaderWriter.v2(Command.LOCAL));
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

    /** An IP literal's address; an IPv4-mapped IPv6 literal stays IPv6, so it is written as 16 bytes. */
    private static InetAddress address(String literal) {
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (literal.contains(":") && address.getAddress().length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A v2 header under construction. */
    public static final class V2 {
        private HeaderWriter header;
        private boolean crc;
        private boolean corruptCrc;

        private V2(HeaderWriter header) {
            this.header = header;
        }

        /** Appends one TLV. */
        public V2 tlv(int type, byte[] value) {
            header = header.tlv(type, value);
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
            byte[] bytes = (crc ? header.crc32c() : header).toBytes();
            if (corruptCrc) {
                int at = bytes.length - 4;
                long value = (((bytes[at] & 0xFFL) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                    | (bytes[at + 3] & 0xFF)) + 1;
                bytes[at] = (byte) (value >> 24);
                bytes[at + 1] = (byte) (value >> 16);
                bytes[at + 2] = (byte) (value >> 8);
                bytes[at + 3] = (byte) value;
            }
            return bytes;
        }
    }
}
