package dev.jamesproxy.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The name-keyed view of a TLV area: the counterpart of aiosmtpd's {@code ProxyTLV} dictionary.
 * Immutable.
 *
 * <p>Keys are {@link TlvType#nameOf(int)} names ({@code xNN} for unnamed types). Values are the raw
 * value bytes, except for the SSL TLV, which is flattened as in aiosmtpd: {@code SSL_CLIENT} (an
 * {@link Integer}), {@code SSL_VERIFY} (a {@link Long}), its sub-TLVs by name, and {@code SSL}
 * ({@link Boolean#TRUE}, or {@code FALSE} when its sub-TLVs are malformed). A later duplicate replaces
 * an earlier one. {@link #tlvLoc()} gives each name's type-byte offset from the start of the TLV area,
 * sub-TLVs included (aiosmtpd reports those 8 bytes too early; this view does not).
 *
 * <p>For the TLVs in wire order with duplicates, use {@link ProxyData#tlvs()} instead.
 */
public final class ProxyTLV {
    private static final ParserLimits UNBOUNDED = ParserLimits.builder().maxTlvs(Integer.MAX_VALUE).build();

    private final Map<String, Object> values;
    private final Map<String, Integer> tlvLoc;
    private final boolean malformed;

    private ProxyTLV(Map<String, Object> values, Map<String, Integer> tlvLoc, boolean malformed) {
        this.values = Collections.unmodifiableMap(values);
        this.tlvLoc = Collections.unmodifiableMap(tlvLoc);
        this.malformed = malformed;
    }

    static ProxyTLV of(List<Tlv> tlvs, int areaStart) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> loc = new LinkedHashMap<>();
        put(tlvs, areaStart, values, loc, false);
        return new ProxyTLV(values, loc, false);
    }

    /**
     * Parses a bare TLV area (aiosmtpd's {@code ProxyTLV.parse}).
     *
     * @param partialOk when true, keeps what was read before a framing fault; when false, a fault gives
     *     an empty view. Either way {@link #isMalformed()} tells.
     */
    public static ProxyTLV parse(byte[] chunk, boolean partialOk) {
        TlvReader.Walk walk = TlvReader.read(chunk, 0, chunk.length, UNBOUNDED);
        boolean ok = walk.outcome == TlvReader.Outcome.OK;
        if (!ok && !partialOk) {
            return new ProxyTLV(new LinkedHashMap<>(), new LinkedHashMap<>(), true);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> loc = new LinkedHashMap<>();
        put(walk.tlvs, 0, values, loc, walk.faultInSsl);
        return new ProxyTLV(values, loc, !ok);
    }

    /**
     * A complete TLV area, or empty when it is empty or malformed: no partial parsing (aiosmtpd's
     * {@code from_raw}, as its documentation describes it).
     */
    public static Optional<ProxyTLV> fromRaw(byte[] raw) {
        if (raw.length == 0) {
            return Optional.empty();
        }
        ProxyTLV parsed = parse(raw, false);
        return parsed.malformed ? Optional.empty() : Optional.of(parsed);
    }

    /** The registered code for a name (aiosmtpd's {@code name_to_num}); empty for unknown names. */
    public static Optional<Integer> nameToNum(String name) {
        return TlvType.of(TlvType.codeOf(name).orElse(-1)).map(TlvType::code);
    }

    /**
     * The type names by code: aiosmtpd's {@code PP2_TYPENAME}, extended with the SSL sub-types
     * 0x26 to 0x28 that the spec added later.
     */
    public static Map<Integer, String> typeNames() {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (TlvType type : TlvType.values()) {
            names.put(type.code(), type.name());
        }
        return Collections.unmodifiableMap(names);
    }

    /** @param lastSslBroken the last TLV is an SSL TLV whose sub-TLVs did not frame */
    private static void put(List<Tlv> tlvs, int areaStart, Map<String, Object> values,
                            Map<String, Integer> loc, boolean lastSslBroken) {
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv tlv = tlvs.get(i);
            boolean last = i == tlvs.size() - 1;
            loc.put(tlv.name(), tlv.offset() - areaStart);
            if (tlv.type() == TlvType.SSL.code() && tlv.length() >= TlvReader.SSL_PREFIX_LENGTH) {
                values.put("SSL_CLIENT", tlv.valueByte(0));
                values.put("SSL_VERIFY", tlv.valueUnsignedInt(1));
                put(tlv.subTlvs(), areaStart, values, loc, false);
                values.put("SSL", !(lastSslBroken && last));
            } else {
                values.put(tlv.name(), tlv.value());
            }
        }
    }

    /** The value under a name; see the class comment for the types. */
    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The raw bytes under a name, when they are bytes. */
    public Optional<byte[]> bytes(String name) {
        Object value = values.get(name);
        return value instanceof byte[] ? Optional.of(((byte[]) value).clone()) : Optional.empty();
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** The whole view, in first-seen order. Byte values are shared: do not modify them. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Type-byte offsets from the start of the TLV area, by name. aiosmtpd's {@code tlv_loc}. */
    public Map<String, Integer> tlvLoc() {
        return tlvLoc;
    }

    /** True when the area did not frame as TLVs (only possible through {@link #parse}). */
    public boolean isMalformed() {
        return malformed;
    }

    /** aiosmtpd's {@code same_attribs} over this view's names; see {@link ProxyData#sameAttribs}. */
    public boolean sameAttribs(boolean raises, Map<String, ?> expected) {
        return AiosmtpdAttributes.sameAttribs(this, raises, expected);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProxyTLV)) {
            return false;
        }
        ProxyTLV other = (ProxyTLV) o;
        if (!values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (!Objects.deepEquals(entry.getValue(), other.values.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "ProxyTLV" + values.keySet();
    }
}
