package dev.jamesproxy.james;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.protocol.Escaping;

/**
 * Writes the one log line of a rejected connection: kind, listener, peer, detail (the parser's reason
 * names a TLS ClientHello, an SMTP command or an HTTP request arriving instead of a header), an escaped
 * prefix of at most {@value #LOG_PREFIX_BYTES} bytes, and a hint when a peer stayed silent. Untrusted peers, timeouts, hook decisions and client limits are INFO;
 * malformed, oversize and CRC failures are WARN.
 */
final class RejectionLog {
    /** The most bytes of a rejected connection that are logged. */
    static final int LOG_PREFIX_BYTES = 64;

    private static final Logger LOGGER = LoggerFactory.getLogger(RejectionLog.class);
    private static final String SILENCE_HINT = "nothing was received: a client that waits for the 220 greeting"
        + " (plain SMTP without a PROXY header) looks like this; is the proxy configured to send one?";

    private final ListenerInfo listener;

    RejectionLog(ListenerInfo listener) {
        this.listener = listener;
    }

    /** @param seen the first bytes received, at most {@code LOG_PREFIX_BYTES + 1} (one more shows the cut) */
    void log(InetSocketAddress peer, Rejection rejection, byte[] seen, int totalLength) {
        String prefix = Escaping.printable(seen, 0, seen.length, LOG_PREFIX_BYTES);
        Optional<String> hint = rejection.kind() == Rejection.Kind.TIMEOUT && totalLength == 0
            ? Optional.of(SILENCE_HINT) : Optional.empty();
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

}
