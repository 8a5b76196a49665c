package dev.jamesproxy.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes PROXY headers as a sender does, v1 or v2: the one writer of the project ({@code probe}, the
 * benchmarks and the tests all use it). Immutable: every method returns a new writer, and
 * {@link #toBytes()} gives the header.
 *
 * <pre>{@code
 * byte[] header = HeaderWriter.v2(Command.PROXY)
 *     .addresses(client, listener)                 // INET, or INET6 when either address is IPv6
 *     .tlv(TlvType.AUTHORITY, "mx.example.com")
 *     .crc32c()                                    // its value is computed by toBytes()
 *     .toBytes();
 * }</pre>
 *
 * <p>A v2 header is the fixed part, the address block, then the TLV area in call order. The writer
 * writes what it is told: {@link #family} and {@link #protocol} set the nibbles only, and
 * {@link #raw} appends any bytes, so a test can write a header that a receiver must reject. Addresses
 * are written from their bytes and never resolved.
 */
public final class HeaderWriter {
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_OFFSETS = new int[0];
    private static final int MAX_TLV_VALUE = 0xFFFF;

    private final int version;
    private final Command command;
    private final AddressFamily family;
    private final TransportProtocol protocol;
    /** v1 only: the endpoints of a TCP4/TCP6 line; null for {@code UNKNOWN}. */
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final byte[] addressBlock;
    private final byte[] tlvArea;
    /** Where in {@link #tlvArea} each {@link #crc32c()} value starts, in wire order. */
    private final int[] crc32cValues;

    private HeaderWriter(int version, Command command, AddressFamily family, TransportProtocol protocol,
                         InetSocketAddress source, InetSocketAddress destination, byte[] addressBlock,
                         byte[] tlvArea, int[] crc32cValues) {
        this.version = version;
        this.command = command;
        this.family = family;
        this.protocol = protocol;
        this.source = source;
        this.destination = destination;
        this.addressBlock = addressBlock;
        this.tlvArea = tlvArea;
        this.crc32cValues = crc32cValues;
    }

    /**
     * A v1 line {@code PROXY TCP4|TCP6 src dst sport dport\r\n}: TCP4 when both addresses are IPv4,
     * otherwise TCP6, an IPv4 address then written IPv4-mapped. Addresses in RFC 5952 form.
     *
     * @throws IllegalArgumentException when an address is unresolved
     */
    public static HeaderWriter v1(InetSocketAddress source, InetSocketAddress destination) {
        boolean ipv4 = bothIpv4(source, destination);
        return new HeaderWriter(1, Command.PROXY, ipv4 ? AddressFamily.INET : AddressFamily.INET6,
            TransportProtocol.STREAM, source, destination, NO_BYTES, NO_BYTES, NO_OFFSETS);
    }

    /** The v1 line {@code PROXY UNKNOWN\r\n}. */
    public static HeaderWriter v1Unknown() {
        return new HeaderWriter(1, Command.PROXY, AddressFamily.UNSPEC, TransportProtocol.UNSPEC, null, null,
            NO_BYTES, NO_BYTES, NO_OFFSETS);
    }

    /** A v2 header with this command, family and protocol UNSPEC, no address block and no TLVs yet. */
    public static HeaderWriter v2(Command command) {
        return new HeaderWriter(2, Objects.requireNonNull(command, "command"), AddressFamily.UNSPEC,
            TransportProtocol.UNSPEC, null, null, NO_BYTES, NO_BYTES, NO_OFFSETS);
    }

    /**
     * The address block of two IP endpoints: family INET when both addresses are IPv4, otherwise INET6
     * with an IPv4 address written IPv4-mapped; protocol STREAM unless one was set.
     *
     * @throws IllegalArgumentException when an address is unresolved
     */
    public HeaderWriter addresses(InetSocketAddress source, InetSocketAddress destination) {
        requireV2("addresses");
        boolean ipv4 = bothIpv4(source, destination);
        byte[] block = new byte[ipv4 ? 12 : 36];
        int addressLength = ipv4 ? 4 : 16;
        System.arraycopy(addressBytes(source.getAddress(), ipv4), 0, block, 0, addressLength);
        System.arraycopy(addressBytes(destination.getAddress(), ipv4), 0, block, addressLength, addressLength);
        putShort(block, 2 * addressLength, source.getPort());
        putShort(block, 2 * addressLength + 2, destination.getPort());
        return withAddressBlock(ipv4 ? AddressFamily.INET : AddressFamily.INET6, block);
    }

    /**
     * The address block of two UNIX socket paths, each UTF-8 and NUL-padded to 108 bytes; protocol
     * STREAM unless one was set.
     *
     * @throws IllegalArgumentException when a path takes more than 108 bytes
     */
    public HeaderWriter unixPaths(String source, String destination) {
        requireV2("unixPaths");
        int length = ProxyData.UNIX_ADDRESS_LENGTH;
        byte[] block = new byte[2 * length];
        putPath(block, 0, source);
        putPath(block, length, destination);
        return withAddressBlock(AddressFamily.UNIX, block);
    }

    /** Sets the family nibble only; {@link #addresses} and {@link #unixPaths} set it for you. */
    public HeaderWriter family(AddressFamily value) {
        requireV2("family");
        return new HeaderWriter(version, command, Objects.requireNonNull(value, "family"), protocol, null, null,
            addressBlock, tlvArea, crc32cValues);
    }

    /** Sets the transport protocol nibble, for instance DGRAM. */
    public HeaderWriter protocol(TransportProtocol value) {
        requireV2("protocol");
        return new HeaderWriter(version, command, family, Objects.requireNonNull(value, "protocol"), null, null,
            addressBlock, tlvArea, crc32cValues);
    }

    /**
     * Appends a TLV.
     *
     * @throws IllegalArgumentException when the type is not 0-255 or the value is longer than 65535 bytes
     */
    public HeaderWriter tlv(int type, byte[] value) {
        requireV2("tlv");
        return appendTlvArea(encodeTlv(type, value), NO_OFFSETS);
    }

    /** Appends a TLV of a registered type. */
    public HeaderWriter tlv(TlvType type, byte[] value) {
        return tlv(type.code(), value);
    }

    /** Appends a TLV of a registered type with a UTF-8 text value (US-ASCII encodes the same). */
    public HeaderWriter tlv(TlvType type, String value) {
        return tlv(type.code(), value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends an SSL TLV: the {@code client} bits, the {@code verify} value, then the sub-TLVs, each
     * encoded by {@link #encodeTlv}.
     *
     * @throws IllegalArgumentException when {@code client} is not 0-255, {@code verify} not an unsigned
     *     32-bit value, or the value longer than 65535 bytes
     */
    public HeaderWriter ssl(int client, long verify, byte[]... subTlvs) {
        requireV2("ssl");
        if (client < 0 || client > 0xFF) {
            throw new IllegalArgumentException("SSL client " + client + " (expected: 0-255)");
        }
        if (verify < 0 || verify > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSL verify " + verify + " (expected: 0-4294967295)");
        }
        int length = TlvReader.SSL_PREFIX_LENGTH;
        for (byte[] sub : subTlvs) {
            length += sub.length;
        }
        byte[] value = new byte[length];
        value[0] = (byte) client;
        putInt(value, 1, verify);
        int position = TlvReader.SSL_PREFIX_LENGTH;
        for (byte[] sub : subTlvs) {
            System.arraycopy(sub, 0, value, position, sub.length);
            position += sub.length;
        }
        return tlv(TlvType.SSL, value);
    }

    /**
     * Appends a CRC32C TLV whose value {@link #toBytes()} computes over the whole header, as the spec
     * says. With several, each is computed as HAProxy checks it: with itself and the earlier ones zeroed.
     */
    public HeaderWriter crc32c() {
        requireV2("crc32c");
        return appendTlvArea(encodeTlv(TlvType.CRC32C.code(), new byte[Crc32cVerifier.VALUE_LENGTH]), new int[] {3});
    }

    /** Appends bytes to the TLV area as they are: TLVs encoded elsewhere, or bytes that are no TLV. */
    public HeaderWriter raw(byte[] bytes) {
        requireV2("raw");
        return appendTlvArea(bytes.clone(), NO_OFFSETS);
    }

    /**
     * One TLV as it goes on the wire: {@code type | length16 | value}. For the sub-TLVs of {@link #ssl},
     * or for {@link #raw}.
     *
     * @throws IllegalArgumentException when the type is not 0-255 or the value is longer than 65535 bytes
     */
    public static byte[] encodeTlv(int type, byte[] value) {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("TLV type " + type + " (expected: 0-255)");
        }
        if (value.length > MAX_TLV_VALUE) {
            throw new IllegalArgumentException("TLV value of " + value.length + " bytes (expected: at most 65535)");
        }
        byte[] tlv = new byte[3 + value.length];
        tlv[0] = (byte) type;
        putShort(tlv, 1, value.length);
        System.arraycopy(value, 0, tlv, 3, value.length);
        return tlv;
    }

    /**
     * The header's bytes.
     *
     * @throws IllegalStateException when a v2 header's address block and TLVs exceed 65535 bytes
     */
    public byte[] toBytes() {
        return version == 1 ? v1Bytes() : v2Bytes();
    }

    private byte[] v1Bytes() {
        StringBuilder line = new StringBuilder(ParserLimits.V1_MAX_LENGTH)
            .append(new String(HeaderFramer.V1_SIGNATURE, StandardCharsets.US_ASCII));
        if (source == null) {
            line.append("UNKNOWN");
        } else {
            boolean ipv4 = family == AddressFamily.INET;
            line.append(ipv4 ? "TCP4 " : "TCP6 ")
                .append(AddressText.of(v1Address(source.getAddress(), ipv4))).append(' ')
                .append(AddressText.of(v1Address(destination.getAddress(), ipv4))).append(' ')
                .append(source.getPort()).append(' ').append(destination.getPort());
        }
        return line.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] v2Bytes() {
        int length = addressBlock.length + tlvArea.length;
        if (length > 0xFFFF) {
            throw new IllegalStateException("v2 address block and TLVs take " + length
                + " bytes (expected: at most 65535)");
        }
        int fixed = ParserLimits.V2_FIXED_LENGTH;
        byte[] header = new byte[fixed + length];
        byte[] signature = HeaderFramer.V2_SIGNATURE;
        System.arraycopy(signature, 0, header, 0, signature.length);
        header[12] = (byte) (0x20 | command.code());
        header[13] = (byte) (family.code() << 4 | protocol.code());
        putShort(header, 14, length);
        System.arraycopy(addressBlock, 0, header, fixed, addressBlock.length);
        int tlvStart = fixed + addressBlock.length;
        System.arraycopy(tlvArea, 0, header, tlvStart, tlvArea.length);
        // Last first: each value is computed with itself and the earlier ones still zero, the later ones final.
        for (int i = crc32cValues.length - 1; i >= 0; i--) {
            CRC32C crc = new CRC32C();
            crc.update(header, 0, header.length);
            putInt(header, tlvStart + crc32cValues[i], crc.getValue());
        }
        return header;
    }

    private HeaderWriter withAddressBlock(AddressFamily newFamily, byte[] block) {
        TransportProtocol newProtocol = protocol == TransportProtocol.UNSPEC ? TransportProtocol.STREAM : protocol;
        return new HeaderWriter(version, command, newFamily, newProtocol, null, null, block, tlvArea, crc32cValues);
    }

    /** @param crcValues offsets in {@code bytes} of CRC32C values to compute */
    private HeaderWriter appendTlvArea(byte[] bytes, int[] crcValues) {
        byte[] area = Arrays.copyOf(tlvArea, tlvArea.length + bytes.length);
        System.arraycopy(bytes, 0, area, tlvArea.length, bytes.length);
        int[] offsets = Arrays.copyOf(crc32cValues, crc32cValues.length + crcValues.length);
        for (int i = 0; i < crcValues.length; i++) {
            offsets[crc32cValues.length + i] = tlvArea.length + crcValues[i];
        }
        return new HeaderWriter(version, command, family, protocol, null, null, addressBlock, area, offsets);
    }

    private void requireV2(String method) {
        if (version != 2) {
            throw new IllegalStateException(method + "() writes a v2 header field; this is a v1 writer");
        }
    }

    private static boolean bothIpv4(InetSocketAddress source, InetSocketAddress destination) {
        return ipAddress(source, "source") instanceof Inet4Address
            && ipAddress(destination, "destination") instanceof Inet4Address;
    }

    private static InetAddress ipAddress(InetSocketAddress endpoint, String name) {
        InetAddress address = Objects.requireNonNull(endpoint, name).getAddress();
        if (address == null) {
            throw new IllegalArgumentException(name + " " + endpoint + " is unresolved (expected: an IP address)");
        }
        return address;
    }

    /** 4 bytes for IPv4, else 16, an IPv4 address then IPv4-mapped ({@code ::ffff:a.b.c.d}). */
    private static byte[] addressBytes(InetAddress address, boolean ipv4) {
        byte[] bytes = address.getAddress();
        if (ipv4 || bytes.length == 16) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }

    /** The address to print on a v1 line: an IPv4 address on a TCP6 line as an IPv6 (mapped) one. */
    private static InetAddress v1Address(InetAddress address, boolean ipv4) {
        if (ipv4 || address instanceof Inet6Address) {
            return address;
        }
        try {
            // Inet6Address.getByAddress keeps a mapped address IPv6, where InetAddress.getByAddress would not.
            return Inet6Address.getByAddress(null, addressBytes(address, false), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    private static void putPath(byte[] block, int offset, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > ProxyData.UNIX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("UNIX path of " + bytes.length + " bytes (expected: at most 108)");
        }
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }

    private static void putShort(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    private static void putInt(byte[] bytes, int offset, long value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }
}
