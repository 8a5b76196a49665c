package dev.jamesproxy.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ProxyHeaderParser} made of the bytes so far: {@link Status#INCOMPLETE} (a prefix of a
 * possible header: wait for more), {@link Status#COMPLETE} (a header of {@link #headerLength()} bytes;
 * the bytes after it were not looked at and belong to the application) or {@link Status#INVALID}
 * (reject the connection). Immutable.
 */
public final class ParseResult {

    /** The three outcomes. */
    public enum Status { INCOMPLETE, COMPLETE, INVALID }

    private static final ParseResult INCOMPLETE = new ParseResult(Status.INCOMPLETE, null, null);

    private final Status status;
    private final ProxyData data;
    private final ParseError error;

    private ParseResult(Status status, ProxyData data, ParseError error) {
        this.status = status;
        this.data = data;
        this.error = error;
    }

    static ParseResult incomplete() {
        return INCOMPLETE;
    }

    static ParseResult complete(ProxyData data) {
        return new ParseResult(Status.COMPLETE, Objects.requireNonNull(data), null);
    }

    static ParseResult invalid(ParseError error) {
        return new ParseResult(Status.INVALID, null, Objects.requireNonNull(error));
    }

    /** A rejected header that was framed and described, such as one with a wrong CRC32C. */
    static ParseResult invalid(ParseError error, ProxyData.Builder described) {
        return new ParseResult(Status.INVALID, described.buildRejected(error), error);
    }

    public Status status() {
        return status;
    }

    public boolean isIncomplete() {
        return status == Status.INCOMPLETE;
    }

    public boolean isComplete() {
        return status == Status.COMPLETE;
    }

    public boolean isInvalid() {
        return status == Status.INVALID;
    }

    /** The accepted header; present exactly when {@link #isComplete()}. */
    public Optional<ProxyData> proxyData() {
        return status == Status.COMPLETE ? Optional.of(data) : Optional.empty();
    }

    /**
     * For an invalid header that was framed and parsed before a check failed (a CRC32C mismatch, a
     * truncated address block): what it said, with {@link ProxyData#error()} set. Useful in logs.
     */
    public Optional<ProxyData> rejectedHeader() {
        return status == Status.INVALID ? Optional.ofNullable(data) : Optional.empty();
    }

    /** Why the header was rejected; present exactly when {@link #isInvalid()}. */
    public Optional<ParseError> error() {
        return Optional.ofNullable(error);
    }

    /**
     * The bytes the header took.
     *
     * @throws IllegalStateException unless {@link #isComplete()}
     */
    public int headerLength() {
        if (status != Status.COMPLETE) {
            throw new IllegalStateException("no header length: the result is " + status);
        }
        return data.headerLength();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParseResult)) {
            return false;
        }
        ParseResult other = (ParseResult) o;
        return status == other.status && Objects.equals(data, other.data) && Objects.equals(error, other.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, data, error);
    }

    @Override
    public String toString() {
        switch (status) {
            case COMPLETE:
                return "COMPLETE(" + data + ")";
            case INVALID:
                return "INVALID(" + error + ")";
            default:
                return "INCOMPLETE";
        }
    }
}
