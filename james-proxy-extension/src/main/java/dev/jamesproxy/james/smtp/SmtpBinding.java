package dev.jamesproxy.james.smtp;

import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.SMTPSession;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;

import io.netty.channel.Channel;

/**
 * SMTP and LMTP: a rejection is the hook's reply line as is; the session handler reads the admitted connection. A
 * stopping listener says {@code 421 4.3.2} (RFC 5321 3.8: a server shutting down should send 421; the client reads it
 * after its next command) and lets a mail in progress finish first.
 */
public final class SmtpBinding implements ProtocolBinding {
    /** The closing line of a stopping SMTP or LMTP listener. */
    public static final String SHUTDOWN_LINE = "421 4.3.2 Service shutting down, closing transmission channel";

    private final ListenerInfo.Protocol protocol;

    public SmtpBinding(ListenerInfo.Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public ListenerInfo.Protocol protocol() {
        return protocol;
    }

    @Override
    public String rejectionLine(Reply reply) {
        return reply.code() + " " + reply.text();
    }

    @Override
    public Optional<String> shutdownLine() {
        return Optional.of(SHUTDOWN_LINE);
    }

    /**
     * James's own session state: a mail is in progress from an accepted MAIL FROM, which James keeps in the
     * transaction state, through DATA, until its final dot is handled: the mail is queued (or refused), James resets
     * the transaction state, and the reply is written, all in one step of the core handler. RSET ends it too. 3.8.1 does
     * not expose whether a command is reading more lines, and needs not: DATA comes only after MAIL FROM, and an AUTH
     * exchange cut short loses nothing.
     */
    @Override
    public boolean inTransaction(Channel channel) {
        Object session = channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        return session instanceof SMTPSession
            && ((SMTPSession) session).getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction).isPresent();
    }
}
