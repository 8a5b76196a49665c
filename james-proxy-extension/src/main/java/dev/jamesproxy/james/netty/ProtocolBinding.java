package dev.jamesproxy.james.netty;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.ProxyConnection;

import io.netty.channel.Channel;

/**
 * What the protocol-agnostic front door needs from one protocol: how it words a rejection, and how it hands the
 * admitted client to that protocol's session. One small implementation per protocol.
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
}
