package dev.jamesproxy.protocol;

import java.util.Objects;

/**
 * The bounds and policies a {@link ProxyHeaderParser} applies. Immutable; build with {@link #builder()}.
 * A v1 line is always capped at {@value #V1_MAX_LENGTH} bytes, as the spec says.
 */
public final class ParserLimits {
    /** The longest v1 line the spec allows, CRLF included. */
    public static final int V1_MAX_LENGTH = 107;
    /** The fixed part of a v2 header. */
    public static final int V2_FIXED_LENGTH = 16;
    /** The largest v2 header the wire format can express: 16 + 65535. */
    public static final int V2_ABSOLUTE_MAX_LENGTH = V2_FIXED_LENGTH + 0xFFFF;
    public static final int DEFAULT_MAX_HEADER_BYTES = 4096;
    public static final int DEFAULT_MAX_TLVS = 128;
    public static final int DEFAULT_MAX_SSL_NESTING = 1;

    private static final ParserLimits DEFAULTS = builder().build();

    private final int maxHeaderBytes;
    private final int maxTlvs;
    private final int maxSslNesting;
    private final Crc32cPolicy crc32cPolicy;

    private ParserLimits(Builder builder) {
        this.maxHeaderBytes = builder.maxHeaderBytes;
        this.maxTlvs = builder.maxTlvs;
        this.maxSslNesting = builder.maxSslNesting;
        this.crc32cPolicy = builder.crc32cPolicy;
    }

    /** 4096-byte v2 headers, 128 TLVs, SSL sub-TLVs one level deep, CRC32C verified when present. */
    public static ParserLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest v2 header accepted, fixed part included. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The most TLVs one header may carry, SSL sub-TLVs included. */
    public int maxTlvs() {
        return maxTlvs;
    }

    /** How deep SSL TLVs are walked: 1 reads the sub-TLVs of a top-level SSL TLV. */
    public int maxSslNesting() {
        return maxSslNesting;
    }

    public Crc32cPolicy crc32cPolicy() {
        return crc32cPolicy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParserLimits)) {
            return false;
        }
        ParserLimits other = (ParserLimits) o;
        return maxHeaderBytes == other.maxHeaderBytes && maxTlvs == other.maxTlvs
            && maxSslNesting == other.maxSslNesting && crc32cPolicy == other.crc32cPolicy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxHeaderBytes, maxTlvs, maxSslNesting, crc32cPolicy);
    }

    @Override
    public String toString() {
        return "ParserLimits{maxHeaderBytes=" + maxHeaderBytes + ", maxTlvs=" + maxTlvs
            + ", maxSslNesting=" + maxSslNesting + ", crc32c=" + crc32cPolicy + "}";
    }

    /** Builds {@link ParserLimits}; each setter rejects out-of-range values at once. */
    public static final class Builder {
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxTlvs = DEFAULT_MAX_TLVS;
        private int maxSslNesting = DEFAULT_MAX_SSL_NESTING;
        private Crc32cPolicy crc32cPolicy = Crc32cPolicy.VERIFY;

        private Builder() {
        }

        /** @throws IllegalArgumentException outside 16 to 65551 (16 + 65535) */
        public Builder maxHeaderBytes(int value) {
            if (value < V2_FIXED_LENGTH || value > V2_ABSOLUTE_MAX_LENGTH) {
                throw new IllegalArgumentException("maxHeaderBytes " + value + " is out of range (expected: "
                    + V2_FIXED_LENGTH + "-" + V2_ABSOLUTE_MAX_LENGTH + ")");
            }
            this.maxHeaderBytes = value;
            return this;
        }

        /** @throws IllegalArgumentException below 0 */
        public Builder maxTlvs(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxTlvs " + value + " is negative (expected: 0 or more)");
            }
            this.maxTlvs = value;
            return this;
        }

        /** @throws IllegalArgumentException outside 0 to 16 */
        public Builder maxSslNesting(int value) {
            if (value < 0 || value > 16) {
                throw new IllegalArgumentException("maxSslNesting " + value + " is out of range (expected: 0-16)");
            }
            this.maxSslNesting = value;
            return this;
        }

        public Builder crc32cPolicy(Crc32cPolicy value) {
            this.crc32cPolicy = Objects.requireNonNull(value, "crc32cPolicy");
            return this;
        }

        public ParserLimits build() {
            return new ParserLimits(this);
        }
    }
}
