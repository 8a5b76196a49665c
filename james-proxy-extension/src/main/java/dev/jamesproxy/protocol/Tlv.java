package dev.jamesproxy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One PROXY v2 TLV as it appeared on the wire: its type, a copy of its value, and where it sits in the
 * header. An SSL TLV (0x20) also lists its sub-TLVs. Immutable.
 */
public final class Tlv {
    private final int type;
    private final byte[] header;
    private final int offset;
    private final int valueLength;
    private final List<Tlv> subTlvs;

    Tlv(int type, byte[] header, int offset, int valueLength, List<Tlv> subTlvs) {
        this.type = type;
        this.header = header;
        this.offset = offset;
        this.valueLength = valueLength;
        this.subTlvs = subTlvs;
    }

    /** The one-byte type code. */
    public int type() {
        return type;
    }

    /** The type's name: a {@link TlvType} name, or {@code xNN}. */
    public String name() {
        return TlvType.nameOf(type);
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return Arrays.copyOfRange(header, valueOffset(), valueOffset() + valueLength);
    }

    /** The value decoded as UTF-8 (US-ASCII values decode the same). */
    public String valueAsString() {
        return new String(header, valueOffset(), valueLength, StandardCharsets.UTF_8);
    }

    /** The value length in bytes. */
    public int length() {
        return valueLength;
    }

    /** The offset of the type byte from the start of the whole header. */
    public int offset() {
        return offset;
    }

    /** The offset of the first value byte from the start of the whole header. */
    public int valueOffset() {
        return offset + 3;
    }

    /** The value byte at {@code index}, as 0 to 255. */
    public int valueByte(int index) {
        if (index < 0 || index >= valueLength) {
            throw new IndexOutOfBoundsException("TLV value index " + index + " (length " + valueLength + ")");
        }
        return header[valueOffset() + index] & 0xFF;
    }

    /** The four value bytes from {@code index}, big-endian, as an unsigned 32-bit number. */
    public long valueUnsignedInt(int index) {
        if (index < 0 || index > valueLength - 4) {
            throw new IndexOutOfBoundsException("TLV value bytes " + index + " to " + (index + 3)
                + " (length " + valueLength + ")");
        }
        int at = valueOffset() + index;
        return ((long) (header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8)
            | (header[at + 3] & 0xFF);
    }

    /** The sub-TLVs of an SSL TLV, in wire order; empty for every other type. */
    public List<Tlv> subTlvs() {
        return subTlvs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tlv)) {
            return false;
        }
        Tlv other = (Tlv) o;
        return type == other.type
            && Arrays.equals(header, valueOffset(), valueOffset() + valueLength,
                other.header, other.valueOffset(), other.valueOffset() + other.valueLength);
    }

    @Override
    public int hashCode() {
        int hash = type;
        for (int i = valueOffset(); i < valueOffset() + valueLength; i++) {
            hash = 31 * hash + header[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return name() + "(" + valueLength + " bytes at " + offset + ")";
    }
}
