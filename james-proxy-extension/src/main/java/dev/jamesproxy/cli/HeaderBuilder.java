package dev.jamesproxy.cli;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import dev.jamesproxy.protocol.AddressText;

/** Builds the PROXY header that {@code probe} sends, v1 or v2, as a sender would. */
final class HeaderBuilder {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int CRC32C_TYPE = 0x03;

    /** One TLV to append to a v2 header. */
    static final class TlvSpec {
        final int type;
        final byte[] value;

        TlvSpec(int type, byte[] value) {
            this.type = type;
            this.value = value;
        }
    }

    private HeaderBuilder() {
    }

    /** {@code PROXY TCP4|TCP6 src dst sport dport\r\n}, or {@code PROXY UNKNOWN\r\n} without addresses. */
    static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        if (source == null || destination == null) {
            return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        String protocol = source.getAddress() instanceof Inet4Address ? "TCP4" : "TCP6";
        return ("PROXY " + protocol + " " + AddressText.of(source.getAddress()) + " " + AddressText.of(destination.getAddress())
            + " " + source.getPort() + " " + destination.getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A v2 header: PROXY with TCP over the addresses' family, or LOCAL/UNSPEC when {@code local}; then the
     * TLVs in order, then a CRC32C TLV computed over the whole header when {@code crc32c}.
     */
    static byte[] v2(InetSocketAddress source, InetSocketAddress destination, boolean local, List<TlvSpec> tlvs,
                     boolean crc32c) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int familyProtocol = 0x00;
        if (!local) {
            boolean ipv6 = source.getAddress() instanceof Inet6Address || destination.getAddress() instanceof Inet6Address;
            familyProtocol = ipv6 ? 0x21 : 0x11;
            block.writeBytes(addressBytes(source, ipv6));
            block.writeBytes(addressBytes(destination, ipv6));
            writeShort(block, source.getPort());
            writeShort(block, destination.getPort());
        }
        List<TlvSpec> all = new ArrayList<>(tlvs);
        if (crc32c) {
            all.add(new TlvSpec(CRC32C_TYPE, new byte[4]));
        }
        for (TlvSpec tlv : all) {
            block.write(tlv.type);
            writeShort(block, tlv.value.length);
            block.writeBytes(tlv.value);
        }
        byte[] body = block.toByteArray();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(local ? 0x20 : 0x21);
        header.write(familyProtocol);
        writeShort(header, body.length);
        header.writeBytes(body);
        byte[] bytes = header.toByteArray();
        if (crc32c) {
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length);
            long value = crc.getValue();
            int at = bytes.length - 4;
            bytes[at] = (byte) (value >>> 24);
            bytes[at + 1] = (byte) (value >>> 16);
            bytes[at + 2] = (byte) (value >>> 8);
            bytes[at + 3] = (byte) value;
        }
        return bytes;
    }

    private static byte[] addressBytes(InetSocketAddress address, boolean ipv6) {
        byte[] bytes = address.getAddress().getAddress();
        if (!ipv6 || bytes.length == 16) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value & 0xFF);
    }
}
