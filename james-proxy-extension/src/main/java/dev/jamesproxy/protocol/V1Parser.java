package dev.jamesproxy.protocol;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Parses one framed v1 line ({@code PROXY ... CRLF}, at most 107 bytes) with the spec's strict grammar:
 * single spaces, {@code TCP4}/{@code TCP6}/{@code UNKNOWN}, literal addresses of the announced family,
 * decimal ports 0-65535 without leading zeros, nothing after the destination port.
 */
final class V1Parser {
    private static final byte SP = ' ';
    private static final String[] FIELD_NAMES = {"source address", "destination address", "source port",
        "destination port"};

    private V1Parser() {
    }

    /** @param line exactly the framed line, CRLF included */
    static ParseResult parse(byte[] line) {
        int end = line.length - 2;
        int position = HeaderFramer.V1_SIGNATURE.length;
        int tokenEnd = ByteScan.indexOf(line, SP, position, end);
        ProxyData.Builder data = ProxyData.builder(1, line).command(Command.PROXY);
        if (matches(line, position, tokenEnd, "UNKNOWN")) {
            return ParseResult.complete(data.unknown().family(AddressFamily.UNSPEC)
                .protocol(TransportProtocol.UNSPEC).rest(tokenEnd).build());
        }
        AddressFamily family;
        if (matches(line, position, tokenEnd, "TCP4")) {
            family = AddressFamily.INET;
        } else if (matches(line, position, tokenEnd, "TCP6")) {
            family = AddressFamily.INET6;
        } else {
            return invalid(ParseError.Reason.V1_BAD_PROTOCOL, "v1 protocol '" + text(line, position, tokenEnd)
                + "' (expected: TCP4, TCP6 or UNKNOWN)");
        }
        return parseFields(line, tokenEnd, family, data);
    }

    /**
     * The four fields after the protocol token, each after a single space: source and destination
     * address, source and destination port. Each field ends at the next space or at the CRLF.
     *
     * @param afterProtocol the index of the space (or CR) after the protocol token
     */
    private static ParseResult parseFields(byte[] line, int afterProtocol, AddressFamily family,
                                           ProxyData.Builder data) {
        int end = line.length - 2;
        if (afterProtocol >= end) {
            return missingField(family, 0);
        }
        int sourceEnd = ByteScan.indexOf(line, SP, afterProtocol + 1, end);
        if (sourceEnd >= end) {
            return missingField(family, 1);
        }
        int destinationEnd = ByteScan.indexOf(line, SP, sourceEnd + 1, end);
        if (destinationEnd >= end) {
            return missingField(family, 2);
        }
        int sourcePortEnd = ByteScan.indexOf(line, SP, destinationEnd + 1, end);
        if (sourcePortEnd >= end) {
            return missingField(family, 3);
        }
        int destinationPortEnd = ByteScan.indexOf(line, SP, sourcePortEnd + 1, end);

        InetAddress source = address(line, afterProtocol + 1, sourceEnd, family);
        if (source == null) {
            return badAddress(line, afterProtocol + 1, sourceEnd, family, FIELD_NAMES[0]);
        }
        InetAddress destination = address(line, sourceEnd + 1, destinationEnd, family);
        if (destination == null) {
            return badAddress(line, sourceEnd + 1, destinationEnd, family, FIELD_NAMES[1]);
        }
        int sourcePort = port(line, destinationEnd + 1, sourcePortEnd);
        if (sourcePort < 0) {
            return badPort(line, destinationEnd + 1, sourcePortEnd, FIELD_NAMES[2]);
        }
        int destinationPort = port(line, sourcePortEnd + 1, destinationPortEnd);
        if (destinationPort < 0) {
            return badPort(line, sourcePortEnd + 1, destinationPortEnd, FIELD_NAMES[3]);
        }
        if (destinationPortEnd != end) {
            return invalid(ParseError.Reason.V1_EXTRA_DATA, "v1 line has '" + text(line, destinationPortEnd, end)
                + "' after the destination port (expected: CRLF)");
        }
        return ParseResult.complete(data.family(family).protocol(TransportProtocol.STREAM)
            .addresses(source, destination, sourcePort, destinationPort).build());
    }

    private static ParseResult missingField(AddressFamily family, int field) {
        return invalid(ParseError.Reason.V1_MISSING_FIELD, "v1 " + family.name() + " line ends before its "
            + FIELD_NAMES[field] + " (expected: 4 fields after the protocol)");
    }

    private static ParseResult badPort(byte[] line, int from, int to, String field) {
        return invalid(ParseError.Reason.V1_BAD_PORT, "v1 " + field + " '" + text(line, from, to)
            + "' (expected: 0-65535 without leading zeros)");
    }

    private static InetAddress address(byte[] line, int from, int to, AddressFamily family) {
        return family == AddressFamily.INET ? AddressLiterals.ipv4(line, from, to) : AddressLiterals.ipv6(line, from, to);
    }

    private static ParseResult badAddress(byte[] line, int from, int to, AddressFamily family, String field) {
        InetAddress other = family == AddressFamily.INET
            ? AddressLiterals.ipv6(line, from, to) : AddressLiterals.ipv4(line, from, to);
        String expected = family == AddressFamily.INET ? "an IPv4 address for TCP4" : "an IPv6 address for TCP6";
        if (other != null) {
            String found = other instanceof Inet4Address ? "IPv4" : "IPv6";
            return invalid(ParseError.Reason.V1_ADDRESS_FAMILY_MISMATCH, "v1 " + field + " '" + text(line, from, to)
                + "' is " + found + " (expected: " + expected + ")");
        }
        return invalid(ParseError.Reason.V1_BAD_ADDRESS, "v1 " + field + " '" + text(line, from, to)
            + "' is not a literal address (expected: " + expected + ")");
    }

    /** The port, or -1 unless the field is {@code 0} or 1 to 5 digits without a leading zero, at most 65535. */
    private static int port(byte[] line, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 5 || (digits > 1 && line[from] == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return -1;
            }
            value = value * 10 + (line[i] - '0');
        }
        return value <= 0xFFFF ? value : -1;
    }

    private static boolean matches(byte[] line, int from, int to, String keyword) {
        if (to - from != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            if (line[from + i] != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes as printable text for a message: non-printable bytes escaped, at most 48 of them. */
    private static String text(byte[] line, int from, int to) {
        return Escaping.printable(line, from, to - from, 48);
    }

    private static ParseResult invalid(ParseError.Reason reason, String message) {
        return ParseResult.invalid(new ParseError(reason, message));
    }
}
