package dev.jamesproxy.james.pop3;

import java.util.Optional;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;

/**
 * POP3: a rejection is {@code -ERR <text>}; the session handler reads the admitted connection. A stopping listener
 * closes every session at once with {@code -ERR}: POP3 has no transaction to finish (each command is answered before
 * the next is read, and deletions apply only at QUIT, so a session cut short loses nothing; RFC 1939 section 6).
 */
final class Pop3Binding implements ProtocolBinding {
    /** The closing line of a stopping POP3 listener. */
    static final String SHUTDOWN_LINE = "-ERR Server shutting down, try again later";

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.POP3;
    }

    @Override
    public String rejectionLine(Reply reply) {
        return "-ERR " + reply.plainText();
    }

    @Override
    public Optional<String> shutdownLine() {
        return Optional.of(SHUTDOWN_LINE);
    }
}
