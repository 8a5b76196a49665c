package dev.jamesproxy.james.managesieve;

import java.io.Closeable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveChannelUpstreamHandler;
import org.apache.james.protocols.api.ProxyInformation;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.util.MDCBuilder;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.netty.AdmittedConnection;
import dev.jamesproxy.james.netty.ProxyMdc;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's ManageSieve core handler, shown the client. ManageSieve's session has no address: James 3.8.1 reads
 * {@code ctx.channel().remoteAddress()} on every event, for its MDC ({@code ip}, {@code host}) and its
 * "Connection established from" / "Connection closed for" lines. So each event reaches James's handler through a
 * {@link ClientAddressContext} whose channel reports the header's client as its remote address (everything else is
 * the real channel), and within the proxy's MDC keys ({@code proxy.ip}, {@code proxy.source},
 * {@code proxy.destination}), which James's own MDC leaves in place. A header without a client address (LOCAL, v1
 * UNKNOWN, UNSPEC, UNIX) and a {@code direct} peer keep the real peer.
 *
 * <p>One instance per channel (the pipeline factory creates the core handler per channel); James runs its events on
 * one thread of its executor group, in order.
 *
 * <p>Version coupling: the 3.8.1 constructor of {@code ManageSieveChannelUpstreamHandler} and the events it overrides
 * ({@code channelActive}, {@code channelRead}, {@code channelInactive}, {@code exceptionCaught}).
 */
class ManageSieveSessionHandler extends ManageSieveChannelUpstreamHandler {
    private ProxyConnection connection;
    private ChannelHandlerContext clientView;

    ManageSieveSessionHandler(ManageSieveProcessor processor, Encryption secure, int maxLineLength) {
        super(processor, secure, maxLineLength);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = AdmittedConnection.of(ctx.channel()).orElse(null);
        if (connection != null) {
            clientView = connection.proxyInformation()
                .map(info -> (ChannelHandlerContext) new ClientAddressContext(ctx,
                    new ClientAddressChannel(ctx.channel(), literal(info))))
                .orElse(null);
        }
        try (Closeable mdc = proxyKeys()) {
            super.channelActive(view(ctx));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try (Closeable mdc = proxyKeys()) {
            super.channelRead(view(ctx), msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try (Closeable mdc = proxyKeys()) {
            super.channelInactive(view(ctx));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        try (Closeable mdc = proxyKeys()) {
            super.exceptionCaught(view(ctx), cause);
        }
    }

    private ChannelHandlerContext view(ChannelHandlerContext ctx) {
        return clientView == null ? ctx : clientView;
    }

    private Closeable proxyKeys() {
        return connection == null ? MDCBuilder.create().build() : ProxyMdc.proxyKeys(connection).build();
    }

    /**
     * The client's address with its literal as host name: James's MDC {@code host} asks {@code getHostName()}, which
     * would otherwise look the client up in the DNS on every event.
     */
    private static InetSocketAddress literal(ProxyInformation info) {
        InetSocketAddress source = info.getSource();
        InetAddress address = source.getAddress();
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address.getHostAddress(), address.getAddress()),
                source.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.getAddress().length + " bytes", e);
        }
    }
}
