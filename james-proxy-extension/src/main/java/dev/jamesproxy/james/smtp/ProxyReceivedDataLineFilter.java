package dev.jamesproxy.james.smtp;

import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;

import dev.jamesproxy.james.ProxyAttachments;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.ProxyData;

/**
 * James's {@code Received:} header, with the proxy hop as a comment after the client's address when
 * {@code <receivedComment>} is true (the default):
 * <pre>
 * Received: from client.example (EHLO client.example) ([203.0.113.7]) (via PROXY v2 from [10.0.0.5])
 *           by mx.example (JAMES SMTP Server ) with ESMTP ID 1a2b3c4d; ...
 * </pre>
 * Direct connections and headers without a client address (LOCAL, UNKNOWN) get no comment: there the
 * TCP peer already appears as the client.
 */
public class ProxyReceivedDataLineFilter extends ReceivedDataLineFilter {

    @Override
    protected Collection<Header> headers(SMTPSession session) {
        Collection<Header> headers = super.headers(session);
        comment(session).ifPresent(comment -> headers.stream()
            .filter(header -> header.name.equals("Received") && !header.values.isEmpty())
            .findFirst()
            .ifPresent(header -> header.values.set(0, header.values.get(0) + " " + comment)));
        return headers;
    }

    private static Optional<String> comment(SMTPSession session) {
        return session.getAttachment(ProxyAttachments.CONNECTION, ProtocolSession.State.Connection)
            .filter(connection -> connection.listener().receivedComment() && connection.proxyInformation().isPresent())
            .map(connection -> "(via PROXY v" + version(connection) + " from ["
                + AddressText.of(connection.peer().getAddress()) + "])");
    }

    private static String version(ProxyConnection connection) {
        OptionalInt version = connection.proxyData().map(ProxyData::version).orElse(OptionalInt.empty());
        return version.isPresent() ? String.valueOf(version.getAsInt()) : "?";
    }
}
