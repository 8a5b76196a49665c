package dev.jamesproxy.james.managesieve;

import java.util.Optional;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;

/**
 * ManageSieve: a rejection is a {@code BYE} response with the hook's text as a quoted string (RFC 5804 §1.3 and
 * §4: {@code "BYE" [SP string] CRLF}, a quoted string of at most 1024 characters with {@code "} and {@code \}
 * escaped). The session handler reads the admitted connection itself.
 */
final class ManageSieveBinding implements ProtocolBinding {
    /** RFC 5804 §4: {@code quoted = DQUOTE *1024QUOTED-CHAR DQUOTE}. */
    static final int MAX_QUOTED_CHARS = 1024;

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.MANAGESIEVE;
    }

    /** When James stops: BYE with the TRYLATER response code (RFC 5804 §1.3). */
    @Override
    public Optional<String> shutdownLine() {
        return Optional.of("BYE (TRYLATER) \"Server shutting down\"");
    }

    @Override
    public String rejectionLine(Reply reply) {
        return "BYE " + quoted(reply.plainText());
    }

    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        int count = 0;
        for (int i = 0; i < text.length() && count < MAX_QUOTED_CHARS; i++, count++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
