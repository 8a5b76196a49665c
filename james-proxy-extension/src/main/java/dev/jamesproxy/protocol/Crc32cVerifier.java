package dev.jamesproxy.protocol;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * Checks the CRC32C TLVs of a v2 header as the spec and HAProxy do: with the checksum value zeroed, the
 * CRC-32C of all {@code 16 + len} bytes must equal the value. When a header carries several CRC32C TLVs,
 * each is checked in turn with it and the earlier ones zeroed, as HAProxy's in-place check does.
 */
final class Crc32cVerifier {
    static final int VALUE_LENGTH = 4;
    /** What a checksum value is read as while the checksum is computed. Never written to. */
    private static final byte[] ZEROS = new byte[VALUE_LENGTH];

    /** The outcome, with the reason for a failure. */
    enum Outcome { ABSENT, VALID, MISMATCH, BAD_LENGTH }

    private Crc32cVerifier() {
    }

    /** {@link Outcome#ABSENT} when the header carries no CRC32C TLV, so a caller needs no {@link #present} check first. */
    static Outcome verify(byte[] header, List<Tlv> tlvs) {
        Outcome outcome = Outcome.ABSENT;
        int checked = 0;
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv tlv = tlvs.get(i);
            if (tlv.type() != TlvType.CRC32C.code()) {
                continue;
            }
            if (tlv.length() != VALUE_LENGTH) {
                return Outcome.BAD_LENGTH;
            }
            checked++;
            if (checksumWithZeroedValues(header, tlvs, checked) != tlv.valueUnsignedInt(0)) {
                return Outcome.MISMATCH;
            }
            outcome = Outcome.VALID;
        }
        return outcome;
    }

    /** True when the header carries a CRC32C TLV at all. */
    static boolean present(List<Tlv> tlvs) {
        for (int i = 0; i < tlvs.size(); i++) {
            if (tlvs.get(i).type() == TlvType.CRC32C.code()) {
                return true;
            }
        }
        return false;
    }

    /** CRC-32C of the header with the values of the first {@code zeroed} CRC32C TLVs read as zeros. */
    private static long checksumWithZeroedValues(byte[] header, List<Tlv> tlvs, int zeroed) {
        CRC32C crc = new CRC32C();
        int position = 0;
        int remaining = zeroed;
        for (int i = 0; i < tlvs.size() && remaining > 0; i++) {
            Tlv tlv = tlvs.get(i);
            if (tlv.type() != TlvType.CRC32C.code()) {
                continue;
            }
            crc.update(header, position, tlv.valueOffset() - position);
            crc.update(ZEROS, 0, VALUE_LENGTH);
            position = tlv.valueOffset() + VALUE_LENGTH;
            remaining--;
        }
        crc.update(header, position, header.length - position);
        return crc.getValue();
    }
}
