package dev.jamesproxy.protocol.tlv;

import java.util.Optional;

import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;

/**
 * AWS PrivateLink / NLB: TLV 0xEA with subtype 0x01 (PP2_SUBTYPE_AWS_VPCE_ID) followed by the VPC
 * endpoint id in ASCII, e.g. {@code vpce-08d2bf15fac5001c9}.
 */
public final class AwsVpcEndpoint {
    public static final int TYPE = 0xEA;
    public static final int SUBTYPE_VPCE_ID = 0x01;

    private AwsVpcEndpoint() {
    }

    /** The VPC endpoint id; empty when absent or not {@code [A-Za-z0-9-]+} (as go-proxyproto checks). */
    public static Optional<String> from(ProxyData data) {
        for (Tlv tlv : data.tlvs()) {
            if (tlv.type() == TYPE && tlv.length() > 1 && tlv.valueByte(0) == SUBTYPE_VPCE_ID) {
                String id = tlv.valueAsString().substring(1);
                return id.matches("[A-Za-z0-9-]+") ? Optional.of(id) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
