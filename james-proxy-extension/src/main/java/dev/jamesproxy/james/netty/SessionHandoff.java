package dev.jamesproxy.james.netty;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProxyInformation;

import dev.jamesproxy.james.ProxyAttachments;
import dev.jamesproxy.james.ProxyConnection;

/**
 * Gives an admitted connection to a James {@link ProtocolSession} (SMTP, LMTP, POP3) when the session is created,
 * before any ConnectHandler or greeting: the client as the session's remote address, and the
 * {@link ProxyAttachments} with the hooks' own attachments, in Connection state.
 */
public final class SessionHandoff {
    private SessionHandoff() {
    }

    /**
     * Sets the session's proxy information once. Without a client address (LOCAL, UNKNOWN, direct) the TCP peer
     * stays the client; it is set anyway so that {@code getProxyInformation()} never throws (it is
     * {@code Optional.of(null)} in 3.8.1 when unset).
     */
    public static void handOff(ProxyConnection connection, ProtocolSession session) {
        session.setProxyInformation(connection.proxyInformation()
            .orElseGet(() -> new ProxyInformation(connection.peer(), connection.localAddress())));
        session.setAttachment(ProxyAttachments.CONNECTION, connection, ProtocolSession.State.Connection);
        connection.proxyData().ifPresent(header ->
            session.setAttachment(ProxyAttachments.PROXY_DATA, header, ProtocolSession.State.Connection));
        connection.applyAttachments(session);
    }
}
