package dev.jamesproxy.james.pop3;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;

/** POP3: a rejection is {@code -ERR <text>}; the session handler reads the admitted connection. */
final class Pop3Binding implements ProtocolBinding {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.POP3;
    }

    @Override
    public String rejectionLine(Reply reply) {
        return "-ERR " + reply.plainText();
    }
}
