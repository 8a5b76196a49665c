package dev.jamesproxy.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.jamesproxy.protocol.AddressFamily;
import dev.jamesproxy.protocol.Command;
import dev.jamesproxy.protocol.HeaderWriter;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;
import dev.jamesproxy.protocol.TransportProtocol;

/**
 * Builds v2 headers field by field for tests, over {@link HeaderWriter}: the address block is raw bytes,
 * so it can be as wrong as a test needs, and the TLVs and CRC32C go through the writer. Byte 12, byte 13
 * and the length can be given any value: what the writer cannot express (an unassigned version, command,
 * family or protocol, a wrong length) is patched in after it, so no CRC32C covers it.
 */
public final class V2Bytes {
    private int versionCommand = 0x21;
    private int familyProtocol = 0x11;
    private final ByteArrayOutputStream addressBlock = new ByteArrayOutputStream();
    private final List<UnaryOperator<HeaderWriter>> tlvArea = new ArrayList<>();
    private Integer lengthOverride;
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

    /** Appends bytes to the address block, which comes before every TLV whatever the call order. */
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
        byte[] copy = value.clone();
        tlvArea.add(writer -> writer.tlv(type, copy));
        return this;
    }

    public V2Bytes tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends bytes to the TLV area as they are, after the TLVs so far: stray bytes, a hand-made TLV. */
    public V2Bytes tlvBytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        tlvArea.add(writer -> writer.raw(copy));
        return this;
    }

    /** An SSL TLV with the given client bits, verify value and sub-TLV bytes (built with {@link #subTlv}). */
    public V2Bytes ssl(int client, long verify, byte[]... subTlvs) {
        byte[][] copy = subTlvs.clone();
        tlvArea.add(writer -> writer.ssl(client, verify, copy));
        return this;
    }

    public static byte[] subTlv(int type, String value) {
        return HeaderWriter.encodeTlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A CRC32C TLV whose value {@link #build()} fills in with the correct checksum. */
    public V2Bytes crc32c() {
        tlvArea.add(HeaderWriter::crc32c);
        return this;
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
        boolean version2 = versionCommand >>> 4 == 2;
        HeaderWriter writer = HeaderWriter.v2(Command.fromCode(versionCommand & 0x0F).filter(command -> version2)
                .orElse(Command.PROXY))
            .family(AddressFamily.fromCode(familyProtocol >>> 4).orElse(AddressFamily.UNSPEC))
            .protocol(TransportProtocol.fromCode(familyProtocol & 0x0F).orElse(TransportProtocol.UNSPEC))
            .raw(addressBlock.toByteArray());
        for (UnaryOperator<HeaderWriter> part : tlvArea) {
            writer = part.apply(writer);
        }
        byte[] header = writer.toBytes();
        header[12] = (byte) versionCommand;
        header[13] = (byte) familyProtocol;
        if (lengthOverride != null) {
            header[14] = (byte) (lengthOverride >>> 8);
            header[15] = (byte) (int) lengthOverride;
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
