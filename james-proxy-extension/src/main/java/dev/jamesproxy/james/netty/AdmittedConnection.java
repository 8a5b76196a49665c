package dev.jamesproxy.james.netty;

import java.util.Optional;

import dev.jamesproxy.james.ProxyConnection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** The channel attribute that hands an admitted {@link ProxyConnection} from the decoder to the protocol's handlers. */
public final class AdmittedConnection {
    private static final AttributeKey<ProxyConnection> KEY = AttributeKey.valueOf("dev.jamesproxy.connection");

    private AdmittedConnection() {
    }

    /** The connection admitted on {@code channel}; empty on a channel of a listener without the decoder. */
    public static Optional<ProxyConnection> of(Channel channel) {
        return Optional.ofNullable(channel.attr(KEY).get());
    }

    static void set(Channel channel, ProxyConnection connection) {
        channel.attr(KEY).set(connection);
    }
}
