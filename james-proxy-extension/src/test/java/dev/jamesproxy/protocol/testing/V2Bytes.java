package dev.jamesproxy.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;

/** Builds v2 headers field by field for tests; the length is computed unless overridden. */
public final class V2Bytes {
    public static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private int versionCommand = 0x21;
    private int familyProtocol = 0x11;
    private final ByteArrayOutputStream addressBlock = new ByteArrayOutputStream();
    private final ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
    private Integer lengthOverride;
    private int crcValueOffset = -1;
    private byte[] trailing = new byte[0];

    public static V2Bytes proxy() {
        return new V2Bytes();
    }

    public static V2Bytes local() {
        return new V2Bytes().versionCommand(0x20).familyProtocol(0x00);
    }

    /** PROXY TCP4 from {@code src:srcPort} to {@code dst:dstPort}. */
    public static V2Bytes tcp4(String src, int srcPort, String dst, int dstPort) {
        return proxy().familyProtocol(0x11).address(src).address(dst).port(srcPort).port(dstPort);
    }

    /** PROXY TCP6 from {@code src:srcPort} to {@code dst:dstPort}. */
    public static V2Bytes tcp6(String src, int srcPort, String dst, int dstPort) {
        return proxy().familyProtocol(0x21).address(src).address(dst).port(srcPort).port(dstPort);
    }

    /**
     * A v2 header rebuilt from a parsed one's fields: fixed part, address block, then its TLVs re-serialised
     * (or the raw tail when the TLV area did not frame). Parsing it again must give the same result.
     */
    public static byte[] reencode(ProxyData data) {
        V2Bytes bytes = proxy().versionCommand(0x20 | data.command().orElseThrow().code())
            .familyProtocol(data.family().orElseThrow().code() << 4 | data.protocol().orElseThrow().code());
        data.sourceAddress().ifPresent(address -> bytes.raw(address.getAddress()));
        data.destinationAddress().ifPresent(address -> bytes.raw(address.getAddress()));
        data.sourcePort().ifPresent(bytes::port);
        data.destinationPort().ifPresent(bytes::port);
        data.sourceUnixRaw().ifPresent(bytes::raw);
        data.destinationUnixRaw().ifPresent(bytes::raw);
        if (data.tlvAreaMalformed() || data.tlvs().isEmpty()) {
            bytes.raw(data.rest());
        } else {
            for (Tlv tlv : data.tlvs()) {
                bytes.tlv(tlv.type(), tlv.value());
            }
        }
        return bytes.header();
    }

    public V2Bytes versionCommand(int value) {
        versionCommand = value;
        return this;
    }

    public V2Bytes familyProtocol(int value) {
        familyProtocol = value;
        return this;
    }

    /** Appends an IPv4 or IPv6 literal's bytes (IPv4-mapped IPv6 literals give 16 bytes). */
    public V2Bytes address(String literal) {
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            addressBlock.write(bytes, 0, bytes.length);
            return this;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    public V2Bytes port(int port) {
        addressBlock.write(port >>> 8);
        addressBlock.write(port & 0xFF);
        return this;
    }

    public V2Bytes raw(byte[] bytes) {
        addressBlock.write(bytes, 0, bytes.length);
        return this;
    }

    /** A UNIX address field: the path, NUL-padded to 108 bytes. */
    public V2Bytes unixPath(String path) {
        byte[] field = new byte[108];
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return raw(field);
    }

    public V2Bytes tlv(int type, byte[] value) {
        tlvs.write(type);
        tlvs.write(value.length >>> 8);
        tlvs.write(value.length & 0xFF);
        tlvs.write(value, 0, value.length);
        return this;
    }

    public V2Bytes tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An SSL TLV with the given client bits, verify value and sub-TLV bytes (built with {@link #subTlv}). */
    public V2Bytes ssl(int client, long verify, byte[]... subTlvs) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        value.write(client);
        value.write((int) (verify >>> 24));
        value.write((int) (verify >>> 16));
        value.write((int) (verify >>> 8));
        value.write((int) verify);
        for (byte[] sub : subTlvs) {
            value.write(sub, 0, sub.length);
        }
        return tlv(0x20, value.toByteArray());
    }

    public static byte[] subTlv(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] tlv = new byte[3 + bytes.length];
        tlv[0] = (byte) type;
        tlv[1] = (byte) (bytes.length >>> 8);
        tlv[2] = (byte) bytes.length;
        System.arraycopy(bytes, 0, tlv, 3, bytes.length);
        return tlv;
    }

    /** A CRC32C TLV whose value {@link #build()} fills in with the correct checksum. */
    public V2Bytes crc32c() {
        crcValueOffset = tlvs.size() + 3;
        return tlv(0x03, new byte[4]);
    }

    /** Overrides the computed {@code len} field. */
    public V2Bytes length(int value) {
        lengthOverride = value;
        return this;
    }

    /** Bytes sent after the header (not counted in its length, not covered by its checksum). */
    public V2Bytes then(String text) {
        trailing = text.getBytes(StandardCharsets.US_ASCII);
        return this;
    }

    /** The header alone, without {@link #then} bytes. */
    public byte[] header() {
        byte[] block = addressBlock.toByteArray();
        byte[] tlvBytes = tlvs.toByteArray();
        int length = lengthOverride != null ? lengthOverride : block.length + tlvBytes.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SIGNATURE, 0, SIGNATURE.length);
        out.write(versionCommand);
        out.write(familyProtocol);
        out.write(length >>> 8);
        out.write(length & 0xFF);
        out.write(block, 0, block.length);
        out.write(tlvBytes, 0, tlvBytes.length);
        byte[] header = out.toByteArray();
        if (crcValueOffset >= 0) {
            CRC32C crc = new CRC32C();
            crc.update(header, 0, header.length);
            long value = crc.getValue();
            int at = 16 + block.length + crcValueOffset;
            header[at] = (byte) (value >>> 24);
            header[at + 1] = (byte) (value >>> 16);
            header[at + 2] = (byte) (value >>> 8);
            header[at + 3] = (byte) value;
        }
        return header;
    }

    /** The header followed by the {@link #then} bytes. */
    public byte[] build() {
        byte[] header = header();
        byte[] all = new byte[header.length + trailing.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(trailing, 0, all, header.length, trailing.length);
        return all;
    }
}
