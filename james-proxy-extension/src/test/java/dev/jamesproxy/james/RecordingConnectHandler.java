package dev.jamesproxy.james;

import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;

/** A ConnectHandler in the test listener's chain: records what James's connect-time handlers see. */
public class RecordingConnectHandler implements ConnectHandler<SMTPSession> {
    /** "address|relayingAllowed|proxy source" per connection, e.g. {@code 203.0.113.7|false|203.0.113.7}. */
    public static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

    /** James 3.8.1 NPEs on a null ConnectHandler response when JMX is on: answer with an empty one. */
    private static final Response NOTHING = new Response() {
        @Override
        public String getRetCode() {
            return "";
        }

        @Override
        public List<CharSequence> getLines() {
            return Collections.emptyList();
        }

        @Override
        public boolean isEndSession() {
            return false;
        }
    };

    @Override
    public Response onConnect(SMTPSession session) {
        // getProxyInformation() throws in 3.8.1 when nothing was set; a proxied listener always sets it.
        String proxySource = session.getProxyInformation().map(info -> info.getSource().getAddress().getHostAddress()).orElse("none");
        SEEN.add(session.getRemoteAddress().getAddress().getHostAddress() + "|" + session.isRelayingAllowed() + "|" + proxySource);
        return NOTHING;
    }
}
