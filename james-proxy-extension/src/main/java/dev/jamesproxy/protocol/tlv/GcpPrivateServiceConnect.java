package dev.jamesproxy.protocol.tlv;

import java.util.OptionalLong;

import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;

/**
 * Google Cloud Private Service Connect: TLV 0xE0 holding the PSC connection id as an 8-byte big-endian
 * unsigned integer, with no subtype.
 */
public final class GcpPrivateServiceConnect {
    public static final int TYPE = 0xE0;

    private GcpPrivateServiceConnect() {
    }

    /**
     * The PSC connection id as the 64 bits of an unsigned value (print it with
     * {@link Long#toUnsignedString(long)}); empty when absent or not 8 bytes.
     */
    public static OptionalLong from(ProxyData data) {
        for (Tlv tlv : data.tlvs()) {
            if (tlv.type() == TYPE && tlv.length() == 8) {
                long id = 0;
                for (int i = 0; i < 8; i++) {
                    id = (id << 8) | tlv.valueByte(i);
                }
                return OptionalLong.of(id);
            }
        }
        return OptionalLong.empty();
    }
}
