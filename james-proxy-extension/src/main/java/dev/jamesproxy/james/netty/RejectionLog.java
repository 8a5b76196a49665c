package dev.jamesproxy.james.netty;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.Escaping;

/**
 * Writes the one log line of a rejected connection: kind, protocol and listener, peer, detail (the parser's reason
 * names a TLS ClientHello, a protocol command or an HTTP request arriving instead of a header), an escaped prefix of
 * at most {@value #LOG_PREFIX_BYTES} bytes, and a hint when a peer stayed silent. The level is the kind's.
 */
final class RejectionLog {
    /** The most bytes of a rejected connection that are logged. */
    static final int LOG_PREFIX_BYTES = 64;

    private static final Logger LOGGER = LoggerFactory.getLogger(RejectionLog.class);
    private static final String FORMAT = "PROXY rejected ({}) on {} '{}' from {}: {}; {} bytes received: \"{}\"{}";

    private final ListenerInfo listener;
    private final String silenceHint;

    RejectionLog(ListenerInfo listener) {
        this.listener = listener;
        this.silenceHint = "; nothing was received: a client that waits for the server's greeting (plain "
            + listener.protocol().displayName() + " without a PROXY header) looks like this; is the proxy configured"
            + " to send one?";
    }

    /** @param seen the first bytes received, at most {@code LOG_PREFIX_BYTES + 1} (one more shows the cut) */
    void log(InetSocketAddress peer, Rejection rejection, byte[] seen, int totalLength) {
        Object[] arguments = {
            rejection.kind().tag(),
            listener.protocol().displayName(),
            listener.jmxName(),
            peer == null ? "?" : AddressText.endpoint(peer),
            rejection.detail(),
            totalLength,
            Escaping.printable(seen, 0, seen.length, LOG_PREFIX_BYTES),
            rejection.kind() == Rejection.Kind.TIMEOUT && totalLength == 0 ? silenceHint : ""
        };
        if (rejection.kind().isWarning()) {
            LOGGER.warn(FORMAT, arguments);
        } else {
            LOGGER.info(FORMAT, arguments);
        }
    }
}
