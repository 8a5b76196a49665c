package dev.jamesproxy.james.netty;

import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.apache.james.util.MDCBuilder;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's MDC for the protocols built on {@code BasicChannelInboundHandler} (POP3), with the admitted client as
 * {@code ip} and {@code host} (no DNS lookup) plus the proxy keys, where James's standard factory reads the channel,
 * i.e. the proxy. A channel without an admitted connection gets James's standard MDC.
 */
public final class ProxiedMdcContextFactory implements ProtocolMDCContextFactory {

    @Override
    public MDCBuilder onBound(Protocol protocol, ChannelHandlerContext ctx) {
        return AdmittedConnection.of(ctx.channel())
            .map(connection -> ProxyMdc.session(protocol.getName(), connection))
            .orElseGet(() -> ProtocolMDCContextFactory.mdcContext(protocol, ctx));
    }

    @Override
    public MDCBuilder withContext(ProtocolSession protocolSession) {
        return ProtocolMDCContextFactory.from(protocolSession);
    }
}
