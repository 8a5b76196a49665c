package dev.jamesproxy.james.testing;

import java.net.InetSocketAddress;
import java.util.List;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ParserLimits;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.ProxyHeaderParser;

/** Headers parsed by the real parser, and connections around them, for hook tests. */
public final class Connections {
    public static final ListenerInfo LISTENER = new ListenerInfo(ListenerInfo.Protocol.SMTP, "test-listener", List::of, false);
    public static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 51000);
    public static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 25);

    private Connections() {
    }

    /** Parses {@code header}; fails the test when the parser does not accept it. */
    public static ProxyData parse(byte[] header) {
        ParseResult result = new ProxyHeaderParser(ParserLimits.defaults()).parse(header, 0, header.length);
        if (!result.isComplete()) {
            throw new AssertionError("test header not accepted by the parser: " + result);
        }
        return result.proxyData().orElseThrow();
    }

    public static ProxyConnection proxied(ProxyData header) {
        return ProxyConnection.proxied(LISTENER, PROXY, LOCAL, header);
    }

    /** A v1 TCP4 connection from {@code client}. */
    public static ProxyConnection from(String client) {
        return proxied(parse(ProxyHeaders.v1Tcp4(client, 40000, "192.0.2.25", 25)));
    }
}
