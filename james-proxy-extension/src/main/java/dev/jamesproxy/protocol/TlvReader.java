package dev.jamesproxy.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Walks a TLV area ({@code type | length16 | value}) and checks its framing. The same walk reads the
 * sub-TLVs of an SSL TLV, after its 5-byte {@code client | verify} prefix.
 */
final class TlvReader {
    /** Bytes of the SSL TLV's {@code client} (1) and {@code verify} (4) fields before its sub-TLVs. */
    static final int SSL_PREFIX_LENGTH = 5;

    /** How a walk ended. */
    enum Outcome { OK, MALFORMED, TOO_MANY }

    /** The TLVs found (on failure, those read before the fault), and why the area could not be read. */
    static final class Walk {
        final Outcome outcome;
        final List<Tlv> tlvs;
        final String problem;
        /** The fault is inside the sub-TLVs of the last TLV read, an SSL TLV. */
        final boolean faultInSsl;

        private Walk(Outcome outcome, List<Tlv> tlvs, String problem, boolean faultInSsl) {
            this.outcome = outcome;
            this.tlvs = tlvs;
            this.problem = problem;
            this.faultInSsl = faultInSsl;
        }
    }

    private final int maxTlvs;
    private final int maxSslNesting;
    private int count;
    private boolean faultInSsl;

    private TlvReader(int maxTlvs, int maxSslNesting) {
        this.maxTlvs = maxTlvs;
        this.maxSslNesting = maxSslNesting;
    }

    /** Reads the TLVs in {@code header[from, to)}. */
    static Walk read(byte[] header, int from, int to, ParserLimits limits) {
        TlvReader reader = new TlvReader(limits.maxTlvs(), limits.maxSslNesting());
        List<Tlv> tlvs = new ArrayList<>(4);
        String problem = reader.walk(header, from, to, 0, tlvs);
        if (problem == null) {
            return new Walk(Outcome.OK, Collections.unmodifiableList(tlvs), null, false);
        }
        Outcome outcome = reader.count > reader.maxTlvs ? Outcome.TOO_MANY : Outcome.MALFORMED;
        return new Walk(outcome, Collections.unmodifiableList(tlvs), problem, reader.faultInSsl);
    }

    /** Appends the TLVs of {@code [from, to)} to {@code into}; returns null, or what is wrong. */
    private String walk(byte[] header, int from, int to, int depth, List<Tlv> into) {
        int position = from;
        while (position < to) {
            if (++count > maxTlvs) {
                return "more than " + maxTlvs + " TLVs";
            }
            int remaining = to - position;
            if (remaining < 3) {
                return remaining + " stray byte(s) at offset " + position + " (a TLV takes at least 3)";
            }
            int type = header[position] & 0xFF;
            int length = ((header[position + 1] & 0xFF) << 8) | (header[position + 2] & 0xFF);
            if (length > remaining - 3) {
                return TlvType.nameOf(type) + " at offset " + position + " declares " + length
                    + " bytes but only " + (remaining - 3) + " remain";
            }
            List<Tlv> subTlvs = Collections.emptyList();
            if (type == TlvType.SSL.code() && depth < maxSslNesting) {
                if (length < SSL_PREFIX_LENGTH) {
                    return "SSL at offset " + position + " is " + length + " bytes (expected: at least 5)";
                }
                List<Tlv> nested = new ArrayList<>(4);
                String problem = walk(header, position + 3 + SSL_PREFIX_LENGTH, position + 3 + length, depth + 1, nested);
                subTlvs = Collections.unmodifiableList(nested);
                if (problem != null) {
                    into.add(new Tlv(type, header, position, length, subTlvs));
                    faultInSsl = depth == 0;
                    return "inside SSL: " + problem;
                }
            }
            into.add(new Tlv(type, header, position, length, subTlvs));
            position += 3 + length;
        }
        return null;
    }
}
