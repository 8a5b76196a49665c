package dev.jamesproxy.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parses one framed v2 header (exactly {@code 16 + len} bytes, signature, version, command, family and
 * protocol already checked by {@link HeaderFramer}): the address block for the family, the TLV area,
 * and the CRC32C policy.
 *
 * <p>As in aiosmtpd, the address block is read under LOCAL too (the receiver then ignores it), and any
 * UNSPEC nibble means no address block: the whole tail is the TLV area. A TLV area that does not frame
 * is tolerated (the spec lets receivers skip TLVs) and flagged, but then no CRC32C can be found.
 */
final class V2Parser {
    private static final int ADDRESS_START = ParserLimits.V2_FIXED_LENGTH;

    private V2Parser() {
    }

    static ParseResult parse(byte[] header, ParserLimits limits) {
        Command command = Command.ofAssigned(header[12] & 0x0F);
        AddressFamily family = AddressFamily.ofAssigned((header[13] & 0xFF) >>> 4);
        TransportProtocol protocol = TransportProtocol.ofAssigned(header[13] & 0x0F);
        int declared = header.length - ADDRESS_START;
        ProxyData.Builder data = ProxyData.builder(2, header).command(command).family(family).protocol(protocol);

        int tlvArea = ADDRESS_START;
        if (family != AddressFamily.UNSPEC && protocol != TransportProtocol.UNSPEC) {
            int blockLength = family.v2AddressBlockLength();
            if (declared < blockLength) {
                return ParseResult.invalid(new ParseError(ParseError.Reason.V2_TRUNCATED_ADDRESS, "v2 " + family
                    + " header declares " + declared + " bytes after the fixed part (expected: at least "
                    + blockLength + " for the address block)"), data.rest(header.length));
            }
            readAddresses(header, family, data);
            tlvArea = ADDRESS_START + blockLength;
        }
        data.rest(tlvArea);
        if (tlvArea < header.length) {
            data.tlvStart(tlvArea);
        }
        TlvReader.Walk walk = TlvReader.read(header, tlvArea, header.length, limits);
        if (walk.outcome == TlvReader.Outcome.TOO_MANY) {
            return ParseResult.invalid(new ParseError(ParseError.Reason.V2_TOO_MANY_TLVS,
                "v2 header carries " + walk.problem + " (expected: at most " + limits.maxTlvs() + ")"));
        }
        boolean wellFormed = walk.outcome == TlvReader.Outcome.OK;
        List<Tlv> tlvs = wellFormed ? walk.tlvs : Collections.<Tlv>emptyList();
        data.tlvs(tlvs, !wellFormed);
        return applyCrc32cPolicy(header, data, tlvs, limits.crc32cPolicy());
    }

    private static void readAddresses(byte[] header, AddressFamily family, ProxyData.Builder data) {
        switch (family) {
            case INET:
                data.addresses(AddressLiterals.ipv4At(header, 16), AddressLiterals.ipv4At(header, 20),
                    port(header, 24), port(header, 26));
                break;
            case INET6:
                data.addresses(AddressLiterals.ipv6At(header, 16), AddressLiterals.ipv6At(header, 32),
                    port(header, 48), port(header, 50));
                break;
            case UNIX:
                int pathLength = ProxyData.UNIX_ADDRESS_LENGTH;
                data.unixAddresses(Arrays.copyOfRange(header, 16, 16 + pathLength),
                    Arrays.copyOfRange(header, 16 + pathLength, 16 + 2 * pathLength));
                break;
            default:
                throw new IllegalStateException("no address block for " + family);
        }
    }

    /** @param tlvs the well-formed TLVs, empty when the TLV area did not frame: one walk over them either way */
    private static ParseResult applyCrc32cPolicy(byte[] header, ProxyData.Builder data, List<Tlv> tlvs,
                                                 Crc32cPolicy policy) {
        if (policy == Crc32cPolicy.IGNORE) {
            boolean present = Crc32cVerifier.present(tlvs);
            return ParseResult.complete(data.crc32c(present ? Crc32cStatus.NOT_CHECKED : Crc32cStatus.ABSENT).build());
        }
        switch (Crc32cVerifier.verify(header, tlvs)) {
            case VALID:
                return ParseResult.complete(data.crc32c(Crc32cStatus.VALID).build());
            case MISMATCH:
                return ParseResult.invalid(new ParseError(ParseError.Reason.CRC32C_MISMATCH,
                    "v2 CRC32C does not match the header (expected: the CRC-32C of the header with the value zeroed)"),
                    data.crc32c(Crc32cStatus.INVALID));
            case BAD_LENGTH:
                return ParseResult.invalid(new ParseError(ParseError.Reason.CRC32C_BAD_LENGTH,
                    "v2 CRC32C TLV is not 4 bytes long (expected: 4)"), data.crc32c(Crc32cStatus.INVALID));
            default:
                if (policy == Crc32cPolicy.REQUIRE) {
                    return ParseResult.invalid(new ParseError(ParseError.Reason.CRC32C_MISSING,
                        "v2 header carries no CRC32C TLV (expected: one, as crc32c is 'require')"), data);
                }
                return ParseResult.complete(data.build());
        }
    }

    private static int port(byte[] header, int offset) {
        return ((header[offset] & 0xFF) << 8) | (header[offset + 1] & 0xFF);
    }
}
