package dev.jamesproxy.james;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/** Describes the proxied listener a connection arrived on; given to hooks. */
public final class ListenerInfo {
    private final String jmxName;
    private final Supplier<List<InetSocketAddress>> boundAddresses;
    private final boolean implicitTls;

    public ListenerInfo(String jmxName, Supplier<List<InetSocketAddress>> boundAddresses, boolean implicitTls) {
        this.jmxName = jmxName;
        this.boundAddresses = boundAddresses;
        this.implicitTls = implicitTls;
    }

    /** The listener's unique {@code <jmxName>}, e.g. {@code proxiedsmtpserver}. */
    public String jmxName() {
        return jmxName;
    }

    /** The addresses the listener is bound to (empty before it starts). */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(boundAddresses.get());
    }

    /** Whether the listener uses {@code socketTLS}: a TLS handshake right after the header. */
    public boolean implicitTls() {
        return implicitTls;
    }

    @Override
    public String toString() {
        return jmxName;
    }
}
