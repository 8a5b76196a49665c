package dev.jamesproxy.protocol;

/** The outcome of the CRC32C check of one header. */
public enum Crc32cStatus {
    /** The header carries no CRC32C TLV (always the case for v1). */
    ABSENT,
    /** Every CRC32C TLV matches the header. */
    VALID,
    /** A CRC32C TLV does not match, or its length is not 4. */
    INVALID,
    /** The header carries a CRC32C TLV but the policy is {@link Crc32cPolicy#IGNORE}. */
    NOT_CHECKED
}
