package dev.jamesproxy.james.pop3;

import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.Encryption;

import dev.jamesproxy.james.netty.AdmittedConnection;
import dev.jamesproxy.james.netty.ProxiedMdcContextFactory;
import dev.jamesproxy.james.netty.SessionHandoff;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's POP3 core handler, given the admitted connection when the session is created, before the greeting: the
 * client becomes the session's remote address (James's {@code PassCmdHandler} records it for POP-before-SMTP) and
 * the MDC {@code ip} of every line of the session.
 */
class Pop3SessionHandler extends BasicChannelInboundHandler {

    Pop3SessionHandler(Protocol protocol, Encryption encryption) {
        super(new ProxiedMdcContextFactory(), protocol, encryption, false);
    }

    @Override
    protected ProtocolSession createSession(ChannelHandlerContext ctx) {
        ProtocolSession session = super.createSession(ctx);
        AdmittedConnection.of(ctx.channel()).ifPresent(connection -> SessionHandoff.handOff(connection, session));
        return session;
    }
}
