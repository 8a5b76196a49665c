package dev.jamesproxy.james;

import org.apache.james.protocols.api.ProtocolSession;

import dev.jamesproxy.protocol.ProxyData;

/**
 * Keys under which a proxied SMTP, LMTP or POP3 listener leaves its facts for later James code (the protocols whose
 * sessions take attachments; IMAP and ManageSieve get the client address only). All are set at session
 * creation, in {@link ProtocolSession.State#Connection} state, so they survive RSET and STARTTLS:
 * <pre>{@code
 * Optional<ProxyData> header = session.getAttachment(ProxyAttachments.PROXY_DATA, ProtocolSession.State.Connection);
 * }</pre>
 */
public final class ProxyAttachments {
    /** The connection facts and hook attachments; present on every session of a proxied listener. */
    public static final ProtocolSession.AttachmentKey<ProxyConnection> CONNECTION =
        ProtocolSession.AttachmentKey.of("dev.jamesproxy.connection", ProxyConnection.class);
    /** The parsed PROXY header; absent for peers on the {@code direct} list. */
    public static final ProtocolSession.AttachmentKey<ProxyData> PROXY_DATA =
        ProtocolSession.AttachmentKey.of("dev.jamesproxy.proxyData", ProxyData.class);

    private ProxyAttachments() {
    }
}
