package dev.jamesproxy.protocol;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Walks a TLV area ({@code type | length16 | value}) and checks its framing. The same walk reads the
 * sub-TLVs of an SSL TLV, after its 5-byte {@code client | verify} prefix.
 *
 * <p>It runs on every v2 header, so it allocates little: nothing for an empty area, otherwise the walk,
 * the {@link Tlv}s and one array-backed immutable list per level (no {@code ArrayList} growth copies,
 * no unmodifiable wrapper).
 */
final class TlvReader {
    /** Bytes of the SSL TLV's {@code client} (1) and {@code verify} (4) fields before its sub-TLVs. */
    static final int SSL_PREFIX_LENGTH = 5;
    /** Slots first reserved per level; typical headers carry fewer TLVs than this. */
    private static final int INITIAL_CAPACITY = 8;

    /** How a walk ended. */
    enum Outcome { OK, MALFORMED, TOO_MANY }

    private TlvReader() {
    }

    /** Reads the TLVs in {@code header[from, to)}. */
    static Walk read(byte[] header, int from, int to, ParserLimits limits) {
        if (from == to) {
            return Walk.EMPTY;
        }
        Walk walk = new Walk(limits.maxTlvs(), limits.maxSslNesting());
        walk.tlvs = walk.walk(header, from, to, 0);
        return walk;
    }

    /**
     * One walk: its counters while it runs, then what it found: the TLVs (on failure, those read before
     * the fault) and why the area could not be read. {@link #read} fills it in; nothing changes it after.
     */
    static final class Walk {
        private static final Walk EMPTY = new Walk(0, 0);

        private final int maxTlvs;
        private final int maxSslNesting;
        private int count;
        Outcome outcome = Outcome.OK;
        List<Tlv> tlvs = Collections.emptyList();
        String problem;
        /** The fault is inside the sub-TLVs of the last TLV read, an SSL TLV. */
        boolean faultInSsl;

        private Walk(int maxTlvs, int maxSslNesting) {
            this.maxTlvs = maxTlvs;
            this.maxSslNesting = maxSslNesting;
        }

        /** The TLVs of {@code [from, to)}; stops at the first fault and records it in {@link #problem}. */
        private List<Tlv> walk(byte[] header, int from, int to, int depth) {
            Tlv[] found = new Tlv[Math.min(INITIAL_CAPACITY, Math.max(1, (to - from) / 3))];
            int size = 0;
            int position = from;
            while (position < to) {
                // Framing first: bytes that are no TLV are a malformed area, even after maxTlvs TLVs.
                int remaining = to - position;
                if (remaining < 3) {
                    malformed(remaining + " stray byte(s) at offset " + position + " (a TLV takes at least 3)");
                    break;
                }
                int type = header[position] & 0xFF;
                int length = ((header[position + 1] & 0xFF) << 8) | (header[position + 2] & 0xFF);
                if (length > remaining - 3) {
                    malformed(TlvType.nameOf(type) + " at offset " + position + " declares " + length
                        + " bytes but only " + (remaining - 3) + " remain");
                    break;
                }
                if (++count > maxTlvs) {
                    outcome = Outcome.TOO_MANY;
                    problem = "more than " + maxTlvs + " TLVs";
                    break;
                }
                List<Tlv> subTlvs = Collections.emptyList();
                if (type == TlvType.SSL.code() && depth < maxSslNesting) {
                    if (length < SSL_PREFIX_LENGTH) {
                        malformed("SSL at offset " + position + " is " + length + " bytes (expected: at least 5)");
                        break;
                    }
                    subTlvs = walk(header, position + 3 + SSL_PREFIX_LENGTH, position + 3 + length, depth + 1);
                }
                if (size == found.length) {
                    found = Arrays.copyOf(found, 2 * size);
                }
                found[size++] = new Tlv(type, header, position, length, subTlvs);
                if (problem != null) {
                    // The fault was in this SSL TLV's sub-TLVs: keep the TLV with what was read of them.
                    faultInSsl = depth == 0;
                    problem = "inside SSL: " + problem;
                    break;
                }
                position += 3 + length;
            }
            return size == 0 ? Collections.emptyList() : new TlvList(found, size);
        }

        private void malformed(String why) {
            outcome = Outcome.MALFORMED;
            problem = why;
        }
    }

    /** The first {@code size} TLVs of an array the walk no longer touches, as an immutable list. */
    private static final class TlvList extends AbstractList<Tlv> implements RandomAccess {
        private final Tlv[] items;
        private final int size;

        TlvList(Tlv[] items, int size) {
            this.items = items;
            this.size = size;
        }

        @Override
        public Tlv get(int index) {
            Objects.checkIndex(index, size);
            return items[index];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
