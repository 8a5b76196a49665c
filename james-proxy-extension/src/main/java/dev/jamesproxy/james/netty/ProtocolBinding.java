package dev.jamesproxy.james.netty;

import java.util.Optional;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.ProxyConnection;

import io.netty.channel.Channel;

/**
 * What the protocol-agnostic front door needs from one protocol: how it words a rejection, how it hands the
 * admitted client to that protocol's session, and how a session is told that the listener stops. One small
 * implementation per protocol.
 */
public interface ProtocolBinding {

    /** The protocol, for log lines, metrics and hooks. */
    ListenerInfo.Protocol protocol();

    /**
     * The one line sent before the close when a hook rejects with a reply on a plain-text listener, without CRLF:
     * {@code 554 5.7.1 ...} for SMTP, {@code * BYE ...} for IMAP, {@code -ERR ...} for POP3. Never a greeting.
     */
    String rejectionLine(Reply reply);

    /**
     * Called on the event loop once the connection is admitted, after {@link AdmittedConnection} is set on the
     * channel and before the protocol's handlers see {@code channelActive}: the place to set a channel attribute
     * the protocol's own code reads (IMAP's {@code proxyInfo}). Most protocols read the admitted connection in
     * their session handler instead and need nothing here.
     */
    default void beforeActivation(Channel channel, ProxyConnection connection) {
    }

    /**
     * The one line, without CRLF, sent to an admitted client before its connection is closed because the listener
     * stops (see {@link ListenerShutdown}): {@code 421 4.3.2 ...} for SMTP and LMTP, {@code -ERR ...} for POP3,
     * {@code * BYE ...} for IMAP. Empty closes without a line, which is safe for any protocol: the default, until a
     * protocol says better.
     */
    default Optional<String> shutdownLine() {
        return Optional.empty();
    }

    /**
     * Whether the session on {@code channel} is inside a transaction that a stopping listener lets finish within its
     * grace period (an SMTP mail between MAIL FROM and the reply to its final dot); a session outside one is told
     * {@link #shutdownLine()} and closed at once. Called on the executor of the protocol's core handler, between two of
     * its commands, so the session's state can be read as is. The default, never, closes every session at once.
     */
    default boolean inTransaction(Channel channel) {
        return false;
    }
}
