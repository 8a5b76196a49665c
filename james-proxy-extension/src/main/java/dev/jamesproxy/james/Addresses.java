package dev.jamesproxy.james;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Address formatting for logs, MDC and attributes. Never resolves a name. */
final class Addresses {
    private Addresses() {
    }

    /** {@code 192.0.2.7} or {@code 2001:db8::7}; never a host name. */
    static String ip(InetSocketAddress address) {
        InetAddress inet = address.getAddress();
        return inet == null ? address.getHostString() : inet.getHostAddress();
    }

    /** {@code 192.0.2.7:25} or {@code [2001:db8::7]:25}. */
    static String format(InetSocketAddress address) {
        String ip = ip(address);
        if (address.getAddress() instanceof Inet6Address) {
            return "[" + ip + "]:" + address.getPort();
        }
        return ip + ":" + address.getPort();
    }
}
