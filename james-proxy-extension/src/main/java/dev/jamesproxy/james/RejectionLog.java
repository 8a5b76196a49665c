package dev.jamesproxy.james;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the one log line of a rejected connection: kind, listener, peer, detail, an escaped prefix of
 * at most {@value EscapedBytes#LOG_PREFIX_BYTES} bytes and, when the bytes look like TLS, SMTP or HTTP,
 * a hint at the misconfiguration. Untrusted peers, timeouts, hook decisions and client limits are INFO;
 * malformed, oversize and CRC failures are WARN.
 */
final class RejectionLog {
    private static final Logger LOGGER = LoggerFactory.getLogger(RejectionLog.class);

    private final ListenerInfo listener;

    RejectionLog(ListenerInfo listener) {
        this.listener = listener;
    }

    void log(InetSocketAddress peer, Rejection rejection, byte[] seen, int totalLength) {
        String prefix = EscapedBytes.prefix(seen, totalLength, EscapedBytes.LOG_PREFIX_BYTES);
        Optional<String> hint = hint(rejection, seen, totalLength);
        String peerText = peer == null ? "?" : Addresses.format(peer);
        if (isWarning(rejection.kind())) {
            LOGGER.warn("PROXY rejected ({}) on '{}' from {}: {}; {} bytes received: \"{}\"{}", rejection.kind().tag(),
                listener.jmxName(), peerText, rejection.detail(), totalLength, prefix, hint.map(h -> "; " + h).orElse(""));
        } else {
            LOGGER.info("PROXY rejected ({}) on '{}' from {}: {}; {} bytes received: \"{}\"{}", rejection.kind().tag(),
                listener.jmxName(), peerText, rejection.detail(), totalLength, prefix, hint.map(h -> "; " + h).orElse(""));
        }
    }

    private static boolean isWarning(Rejection.Kind kind) {
        return kind == Rejection.Kind.MALFORMED || kind == Rejection.Kind.OVERSIZE || kind == Rejection.Kind.CRC;
    }

    private static Optional<String> hint(Rejection rejection, byte[] seen, int totalLength) {
        boolean parserNamedIt = rejection.parseReason().map(reason -> reason.name().endsWith("_INSTEAD_OF_HEADER")).orElse(false);
        if (rejection.kind() == Rejection.Kind.MALFORMED && !parserNamedIt
            || rejection.kind() == Rejection.Kind.TIMEOUT && totalLength == 0) {
            return TrafficDiagnosis.of(seen, Math.min(seen.length, totalLength));
        }
        return Optional.empty();
    }
}
