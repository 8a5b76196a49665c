package dev.jamesproxy.james.imap;

import java.util.Optional;

import org.apache.james.imapserver.netty.HAProxyMessageHandler;
import org.apache.james.protocols.api.ProxyInformation;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.netty.ProtocolBinding;
import dev.jamesproxy.james.netty.Reply;
import dev.jamesproxy.protocol.ProxyData;

import io.netty.channel.Channel;

/**
 * IMAP: a rejection is an untagged {@code BYE} (RFC 9051 §7.1.5, allowed as the first response of a server that
 * refuses the connection); the client reaches James through the channel attribute its IMAP code reads.
 */
final class ImapBinding implements ProtocolBinding {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.IMAP;
    }

    /** When James stops: an untagged BYE (RFC 9051 §7.1.5). */
    @Override
    public Optional<String> shutdownLine() {
        return Optional.of("* BYE Server shutting down");
    }

    @Override
    public String rejectionLine(Reply reply) {
        return "* BYE " + reply.plainText();
    }

    /**
     * James 3.8.1's {@code IMAPMDCContext} reads {@link HAProxyMessageHandler#PROXY_INFO} when the core handler
     * builds the session's MDC in {@code channelActive}: {@code ip} and {@code proxy.source} become the client,
     * {@code proxy.ip} the proxy, for "Connection established" and every later line of the session. A header
     * without a client address (LOCAL, v1 UNKNOWN, UNSPEC, UNIX) sets nothing: the proxy stays the peer. James
     * prints the addresses with {@code toString()}, so they go in without the host name reverse DNS may have given
     * the client ({@code /203.0.113.7:40000}, as with James's native PROXY support): IMAP has no other use for it.
     */
    @Override
    public void beforeActivation(Channel channel, ProxyConnection connection) {
        connection.proxyInformation().ifPresent(info -> channel.attr(HAProxyMessageHandler.PROXY_INFO)
            .set(new ProxyInformation(connection.proxyData().flatMap(ProxyData::source).orElse(info.getSource()),
                info.getDestination())));
    }
}
