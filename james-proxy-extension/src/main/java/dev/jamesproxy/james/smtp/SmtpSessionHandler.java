package dev.jamesproxy.james.smtp;

import java.io.Closeable;

import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.netty.SMTPChannelInboundHandler;
import org.apache.james.smtpserver.netty.SmtpMetrics;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.netty.AdmittedConnection;
import dev.jamesproxy.james.netty.ProxyMdc;
import dev.jamesproxy.james.netty.SessionHandoff;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's SMTP (and LMTP) core handler, given the admitted connection at session creation. Before any
 * ConnectHandler or the greeting runs, the session gets {@code setProxyInformation(source, destination)} once,
 * when the header carries a client address (so relaying rights, EHLO, hooks, {@code Received:} and
 * {@code Mail.getRemoteAddr()} see the client), and the {@code ProxyAttachments}. Never again afterwards:
 * {@code setProxyInformation} recomputes relaying and would drop a grant given by a ConnectHandler
 * (POP-before-SMTP). Connections without a client address get the TCP peer and local address as their proxy
 * information, so that {@code session.getProxyInformation()} is always safe to call; when such a connection came
 * through a proxy (LOCAL, UNKNOWN, UNSPEC, UNIX), relaying is not allowed on the proxy's address: AUTH still works.
 *
 * <p>One instance per channel (James's pipeline factory creates the core handler per channel).
 *
 * <p>Version coupling: this uses the 3.8.1 constructor of {@code SMTPChannelInboundHandler}; 3.9 adds a
 * {@code ChannelGroup} parameter.
 */
public class SmtpSessionHandler extends SMTPChannelInboundHandler {
    private ProxyConnection connection;

    public SmtpSessionHandler(Protocol protocol, Encryption encryption, SmtpMetrics smtpMetrics) {
        super(protocol, encryption, false, smtpMetrics);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = AdmittedConnection.of(ctx.channel()).orElse(null);
        if (connection == null) {
            super.channelActive(ctx);
            return;
        }
        try (Closeable mdc = ProxyMdc.proxyKeys(connection).build()) {
            super.channelActive(ctx);
        }
        ProtocolSession session = (ProtocolSession) ctx.channel().attr(SESSION_ATTRIBUTE_KEY).get();
        if (session != null) {
            session.setAttachment(MDC_ATTRIBUTE_KEY, ProxyMdc.session(protocol.getName(), connection),
                ProtocolSession.State.Connection);
        }
    }

    @Override
    protected ProtocolSession createSession(ChannelHandlerContext ctx) {
        ProtocolSession session = super.createSession(ctx);
        if (connection != null) {
            SessionHandoff.handOff(connection, session);
            if (!connection.isDirect() && connection.proxyInformation().isEmpty() && session instanceof SMTPSession) {
                // A header without a client address (LOCAL, UNKNOWN, UNSPEC, UNIX) leaves the proxy as the remote
                // address; the proxy's own relaying rights must not pass to the unknown client behind it.
                ((SMTPSession) session).setRelayingAllowed(false);
            }
        }
        return session;
    }
}
