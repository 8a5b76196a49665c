package dev.jamesproxy.james.netty;

import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.apache.james.util.MDCBuilder;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.AddressText;

/**
 * MDC keys of proxied connections, named as James's native PROXY support names them: {@code proxy.source} (the
 * client's ip:port), {@code proxy.destination} (the address the client dialled) and {@code proxy.ip} (the proxy, i.e.
 * the TCP peer). {@code ip} and {@code proxy.ip} are in James's own address form, as in its other log lines;
 * {@code proxy.source} and {@code proxy.destination} are for people ({@code [2001:db8::7]:40000}, RFC 5952).
 */
public final class ProxyMdc {
    public static final String SOURCE = "proxy.source";
    public static final String DESTINATION = "proxy.destination";
    public static final String PROXY_IP = "proxy.ip";

    private ProxyMdc() {
    }

    /** The proxy keys alone; wraps James's connect-time work, whose own {@code ip} key is still the proxy. */
    public static MDCBuilder proxyKeys(ProxyConnection connection) {
        MDCBuilder mdc = MDCBuilder.create();
        if (connection.isDirect()) {
            return mdc;
        }
        mdc.addToContext(PROXY_IP, connection.proxyIp());
        connection.proxyInformation().ifPresent(info -> mdc
            .addToContext(SOURCE, AddressText.endpoint(info.getSource()))
            .addToContext(DESTINATION, AddressText.endpoint(info.getDestination())));
        return mdc;
    }

    /**
     * The MDC of every later log line of the session: {@code protocol}, {@code ip} and {@code host} name the
     * client, plus the proxy keys. {@code host} is the name reverse DNS found while the connection was held, else
     * the IP literal: never a lookup here.
     */
    public static MDCBuilder session(String protocolName, ProxyConnection connection) {
        String clientIp = connection.clientIp();
        MDCBuilder mdc = MDCBuilder.create()
            .addToContext(MDCBuilder.PROTOCOL, protocolName)
            .addToContext(MDCBuilder.IP, clientIp);
        if (ProtocolMDCContextFactory.ADD_HOST_TO_MDC) {
            mdc.addToContext(MDCBuilder.HOST, connection.clientAddress().getHostString());
        }
        return mdc.addToContext(proxyKeys(connection));
    }
}
