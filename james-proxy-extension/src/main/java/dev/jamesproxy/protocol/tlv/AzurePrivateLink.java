package dev.jamesproxy.protocol.tlv;

import java.util.OptionalLong;

import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;

/**
 * Azure Private Link: TLV 0xEE with subtype 0x01 (PRIVATEENDPOINT_LINKID) followed by the LinkID as a
 * little-endian unsigned 32-bit integer; 5 bytes in all.
 */
public final class AzurePrivateLink {
    public static final int TYPE = 0xEE;
    public static final int SUBTYPE_LINK_ID = 0x01;

    private AzurePrivateLink() {
    }

    /** The private endpoint LinkID, 0 to 2^32-1; empty when absent or malformed. */
    public static OptionalLong from(ProxyData data) {
        for (Tlv tlv : data.tlvs()) {
            if (tlv.type() == TYPE && tlv.length() == 5 && tlv.valueByte(0) == SUBTYPE_LINK_ID) {
                return OptionalLong.of(tlv.valueByte(1) | (tlv.valueByte(2) << 8) | (tlv.valueByte(3) << 16)
                    | ((long) tlv.valueByte(4) << 24));
            }
        }
        return OptionalLong.empty();
    }
}
