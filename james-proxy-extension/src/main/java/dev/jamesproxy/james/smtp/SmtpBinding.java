package dev.jamesproxy.james.smtp;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;

/** SMTP and LMTP: a rejection is the hook's reply line as is; the session handler reads the admitted connection. */
public final class SmtpBinding implements ProtocolBinding {
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
}
