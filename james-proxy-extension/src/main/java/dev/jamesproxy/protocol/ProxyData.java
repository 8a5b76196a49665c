package dev.jamesproxy.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed PROXY header: the counterpart of aiosmtpd's {@code ProxyData}. Immutable.
 *
 * <p>Addresses are built from the header's literal text or bytes and never resolved. IPv4-mapped IPv6
 * addresses keep the INET6 family. For UNIX headers the paths are given up to the first NUL, with the
 * raw 108-byte fields alongside. {@link #error()} is empty for an accepted header; a rejected header
 * that got far enough to be described (for example one with a wrong CRC32C) carries the reason there.
 */
public final class ProxyData {
    static final int UNIX_ADDRESS_LENGTH = 108;
    private static final int NO_PORT = -1;

    private final int version;
    private final Command command;
    private final AddressFamily family;
    private final TransportProtocol protocol;
    private final boolean unknown;
    private final InetAddress sourceAddress;
    private final InetAddress destinationAddress;
    private final int sourcePort;
    private final int destinationPort;
    private final byte[] sourceUnix;
    private final byte[] destinationUnix;
    private final byte[] wholeRaw;
    private final int restOffset;
    private final int tlvStart;
    private final List<Tlv> tlvs;
    private final boolean tlvAreaMalformed;
    private final Crc32cStatus crc32c;
    private final String error;

    private ProxyData(Builder builder, String error) {
        this.version = builder.version;
        this.command = builder.command;
        this.family = builder.family;
        this.protocol = builder.protocol;
        this.unknown = builder.unknown;
        this.sourceAddress = builder.sourceAddress;
        this.destinationAddress = builder.destinationAddress;
        this.sourcePort = builder.sourcePort;
        this.destinationPort = builder.destinationPort;
        this.sourceUnix = builder.sourceUnix;
        this.destinationUnix = builder.destinationUnix;
        this.wholeRaw = builder.wholeRaw;
        this.restOffset = builder.restOffset;
        this.tlvStart = builder.tlvStart;
        this.tlvs = builder.tlvs;
        this.tlvAreaMalformed = builder.tlvAreaMalformed;
        this.crc32c = builder.crc32c;
        this.error = error;
    }

    static Builder builder(int version, byte[] wholeRaw) {
        return new Builder(version, wholeRaw);
    }

    /** 1 or 2; empty when the input was not recognised as a PROXY header at all. */
    public OptionalInt version() {
        return version == 0 ? OptionalInt.empty() : OptionalInt.of(version);
    }

    /** The v2 command; {@link Command#PROXY} for every v1 header. */
    public Optional<Command> command() {
        return Optional.ofNullable(command);
    }

    public Optional<AddressFamily> family() {
        return Optional.ofNullable(family);
    }

    public Optional<TransportProtocol> protocol() {
        return Optional.ofNullable(protocol);
    }

    /** True for a v2 LOCAL header: a connection the proxy made for itself, such as a health check. */
    public boolean isLocal() {
        return command == Command.LOCAL;
    }

    /** True for a v1 {@code PROXY UNKNOWN} header. */
    public boolean isUnknown() {
        return unknown;
    }

    /**
     * True when the header names the client: command PROXY with INET or INET6 addresses. Otherwise
     * (LOCAL, UNKNOWN, UNSPEC, UNIX) the receiver keeps the real socket endpoints, as the spec says.
     */
    public boolean hasClientAddress() {
        return command == Command.PROXY && sourceAddress != null && destinationAddress != null;
    }

    public Optional<InetAddress> sourceAddress() {
        return Optional.ofNullable(sourceAddress);
    }

    public Optional<InetAddress> destinationAddress() {
        return Optional.ofNullable(destinationAddress);
    }

    public OptionalInt sourcePort() {
        return sourcePort == NO_PORT ? OptionalInt.empty() : OptionalInt.of(sourcePort);
    }

    public OptionalInt destinationPort() {
        return destinationPort == NO_PORT ? OptionalInt.empty() : OptionalInt.of(destinationPort);
    }

    /** The source address and port, for INET and INET6 headers. */
    public Optional<InetSocketAddress> source() {
        return socketAddress(sourceAddress, sourcePort);
    }

    /** The destination address and port, for INET and INET6 headers. */
    public Optional<InetSocketAddress> destination() {
        return socketAddress(destinationAddress, destinationPort);
    }

    /** The UNIX source path, up to the first NUL. */
    public Optional<String> sourcePath() {
        return unixPath(sourceUnix);
    }

    /** The UNIX destination path, up to the first NUL. */
    public Optional<String> destinationPath() {
        return unixPath(destinationUnix);
    }

    /** The raw 108-byte UNIX source field, NUL padding included. */
    public Optional<byte[]> sourceUnixRaw() {
        return Optional.ofNullable(sourceUnix).map(byte[]::clone);
    }

    /** The raw 108-byte UNIX destination field, NUL padding included. */
    public Optional<byte[]> destinationUnixRaw() {
        return Optional.ofNullable(destinationUnix).map(byte[]::clone);
    }

    /**
     * The bytes after the address block: the TLV area of a v2 header (the whole tail for UNSPEC), or what
     * follows {@code UNKNOWN} on a v1 line (leading space included). aiosmtpd's {@code rest}.
     */
    public byte[] rest() {
        int end = version == 1 ? Math.max(restOffset, wholeRaw.length - 2) : wholeRaw.length;
        return Arrays.copyOfRange(wholeRaw, restOffset, end);
    }

    /** Exactly the header's bytes, CRLF or TLVs included, nothing after it. aiosmtpd's {@code whole_raw}. */
    public byte[] wholeRaw() {
        return wholeRaw.clone();
    }

    /** How many bytes the header took. Bytes after it belong to the application. */
    public int headerLength() {
        return wholeRaw.length;
    }

    /** Where the TLV area starts in {@link #wholeRaw()}, when a v2 header has one. */
    public OptionalInt tlvStart() {
        return tlvStart < 0 ? OptionalInt.empty() : OptionalInt.of(tlvStart);
    }

    /** The top-level TLVs in wire order, duplicates kept; empty when the TLV area is malformed. */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    /** The first top-level TLV of a type. */
    public Optional<Tlv> firstTlv(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return Optional.of(tlv);
            }
        }
        return Optional.empty();
    }

    /** The first top-level TLV of a registered type. */
    public Optional<Tlv> firstTlv(TlvType type) {
        return firstTlv(type.code());
    }

    /**
     * True when the bytes after the address block do not frame as TLVs. The header is still accepted,
     * as the spec lets receivers ignore TLVs, and {@link #tlvs()} is empty.
     */
    public boolean tlvAreaMalformed() {
        return tlvAreaMalformed;
    }

    /** The name-keyed TLV view of aiosmtpd's {@code ProxyData.tlv}; empty without well-formed TLVs. */
    public Optional<ProxyTLV> tlv() {
        if (tlvs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ProxyTLV.of(tlvs, Math.max(tlvStart, 0)));
    }

    public Crc32cStatus crc32c() {
        return crc32c;
    }

    /** Why the header was rejected; empty for an accepted header. */
    public String error() {
        return error;
    }

    /** A copy carrying {@code message} as its error, which makes it invalid. aiosmtpd's {@code with_error}. */
    public ProxyData withError(String message) {
        Builder copy = new Builder(this);
        return new ProxyData(copy, Objects.requireNonNull(message, "message"));
    }

    /** No error, a version and a protocol: aiosmtpd's {@code valid} and truthiness. */
    public boolean isValid() {
        return error.isEmpty() && version != 0 && protocol != null;
    }

    /**
     * Compares attributes by aiosmtpd's names ({@code version}, {@code command}, {@code family},
     * {@code protocol}, {@code src_addr}, {@code dst_addr}, {@code src_port}, {@code dst_port},
     * {@code rest}, {@code whole_raw}, {@code tlv_start}, {@code error}, {@code valid}). Addresses compare
     * as {@link InetAddress} or as their canonical text, byte values as arrays, absent values as null.
     *
     * @param raises when true, a mismatch throws {@link IllegalArgumentException}
     *     ({@code mismatch:<name> actual=… expect=…}) and an unknown name {@link NoSuchElementException}
     *     ({@code notfound:<name>}) instead of returning false
     */
    public boolean sameAttribs(boolean raises, Map<String, ?> expected) {
        return AiosmtpdAttributes.sameAttribs(this, raises, expected);
    }

    private static Optional<InetSocketAddress> socketAddress(InetAddress address, int port) {
        if (address == null || port == NO_PORT) {
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(address, port));
    }

    private static Optional<String> unixPath(byte[] raw) {
        if (raw == null) {
            return Optional.empty();
        }
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return Optional.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProxyData)) {
            return false;
        }
        ProxyData other = (ProxyData) o;
        return version == other.version && command == other.command && family == other.family
            && protocol == other.protocol && unknown == other.unknown
            && Objects.equals(sourceAddress, other.sourceAddress)
            && Objects.equals(destinationAddress, other.destinationAddress)
            && sourcePort == other.sourcePort && destinationPort == other.destinationPort
            && Arrays.equals(sourceUnix, other.sourceUnix) && Arrays.equals(destinationUnix, other.destinationUnix)
            && Arrays.equals(wholeRaw, other.wholeRaw) && restOffset == other.restOffset
            && tlvStart == other.tlvStart && tlvs.equals(other.tlvs) && tlvAreaMalformed == other.tlvAreaMalformed
            && crc32c == other.crc32c && error.equals(other.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, command, family, protocol, sourceAddress, destinationAddress,
            sourcePort, destinationPort, Arrays.hashCode(wholeRaw), error);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ProxyData{v").append(version == 0 ? "?" : String.valueOf(version));
        if (command != null) {
            text.append(' ').append(command);
        }
        if (unknown) {
            text.append(" UNKNOWN");
        }
        text.append(' ').append(family).append('/').append(protocol);
        source().ifPresent(address -> text.append(' ').append(AddressText.of(address.getAddress())).append(':').append(address.getPort()));
        destination().ifPresent(address -> text.append(" -> ").append(AddressText.of(address.getAddress())).append(':').append(address.getPort()));
        if (!tlvs.isEmpty()) {
            text.append(" tlvs=").append(tlvs);
        }
        if (!error.isEmpty()) {
            text.append(" error=").append(error);
        }
        return text.append('}').toString();
    }

    /** Collects the fields while a parser works; package-private. */
    static final class Builder {
        private final int version;
        private final byte[] wholeRaw;
        private Command command;
        private AddressFamily family;
        private TransportProtocol protocol;
        private boolean unknown;
        private InetAddress sourceAddress;
        private InetAddress destinationAddress;
        private int sourcePort = NO_PORT;
        private int destinationPort = NO_PORT;
        private byte[] sourceUnix;
        private byte[] destinationUnix;
        private int restOffset;
        private int tlvStart = -1;
        private List<Tlv> tlvs = Collections.emptyList();
        private boolean tlvAreaMalformed;
        private Crc32cStatus crc32c = Crc32cStatus.ABSENT;

        private Builder(int version, byte[] wholeRaw) {
            this.version = version;
            this.wholeRaw = wholeRaw;
            this.restOffset = wholeRaw.length;
        }

        private Builder(ProxyData data) {
            this(data.version, data.wholeRaw);
            command = data.command;
            family = data.family;
            protocol = data.protocol;
            unknown = data.unknown;
            sourceAddress = data.sourceAddress;
            destinationAddress = data.destinationAddress;
            sourcePort = data.sourcePort;
            destinationPort = data.destinationPort;
            sourceUnix = data.sourceUnix;
            destinationUnix = data.destinationUnix;
            restOffset = data.restOffset;
            tlvStart = data.tlvStart;
            tlvs = data.tlvs;
            tlvAreaMalformed = data.tlvAreaMalformed;
            crc32c = data.crc32c;
        }

        Builder command(Command value) {
            command = value;
            return this;
        }

        Builder family(AddressFamily value) {
            family = value;
            return this;
        }

        Builder protocol(TransportProtocol value) {
            protocol = value;
            return this;
        }

        Builder unknown() {
            unknown = true;
            return this;
        }

        Builder addresses(InetAddress source, InetAddress destination, int sourcePortValue, int destinationPortValue) {
            sourceAddress = source;
            destinationAddress = destination;
            sourcePort = sourcePortValue;
            destinationPort = destinationPortValue;
            return this;
        }

        Builder unixAddresses(byte[] source, byte[] destination) {
            sourceUnix = source;
            destinationUnix = destination;
            return this;
        }

        Builder rest(int offset) {
            restOffset = offset;
            return this;
        }

        Builder tlvStart(int offset) {
            tlvStart = offset;
            return this;
        }

        Builder tlvs(List<Tlv> value, boolean malformed) {
            tlvs = value;
            tlvAreaMalformed = malformed;
            return this;
        }

        Builder crc32c(Crc32cStatus value) {
            crc32c = value;
            return this;
        }

        ProxyData build() {
            return new ProxyData(this, "");
        }

        /** The header as far as it was read, rejected for {@code error}: {@link #error()} is its text. */
        ProxyData buildRejected(ParseError error) {
            return new ProxyData(this, error.toString());
        }
    }
}
