package dev.jamesproxy.james;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProxyInformation;

import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.ProxyData;

/**
 * One accepted or pending connection on a proxied listener: where it arrived, who the TCP peer is,
 * and the PROXY header it sent (absent for peers on the {@code direct} list).
 *
 * <p>The facts are immutable. {@link ProxyHook}s may add values with {@link #attach} (read later
 * from the SMTP session by James hooks) and {@link #setMailAttribute} (set on every mail of the
 * connection, for mailets). All methods are safe to call from any thread.
 *
 * <p>Later James code finds this object in the session:
 * {@code session.getAttachment(ProxyAttachments.CONNECTION, ProtocolSession.State.Connection)}.
 */
public final class ProxyConnection {
    private final ListenerInfo listener;
    private final InetSocketAddress peer;
    private final InetSocketAddress localAddress;
    private final Optional<ProxyData> proxyData;
    private final Optional<ProxyInformation> proxyInformation;
    private final String clientIp;
    private final String proxyIp;
    private final Map<ProtocolSession.AttachmentKey<?>, Object> attachments = new LinkedHashMap<>();
    private final Map<String, String> mailAttributes = new LinkedHashMap<>();

    private ProxyConnection(ListenerInfo listener, InetSocketAddress peer, InetSocketAddress localAddress,
                            Optional<ProxyData> proxyData, boolean nameTheClient, Optional<String> clientHostName) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        this.proxyData = proxyData;
        // Derived once: the session, the MDC, the metrics, the Received: comment and the Mail attributes all read it,
        // and the session's remote address is then the very object clientAddress() returns.
        this.proxyInformation = proxyData.filter(ProxyData::hasClientAddress)
            .flatMap(data -> data.source().flatMap(source -> data.destination()
                .map(destination -> new ProxyInformation(nameTheClient ? named(source, clientHostName) : source,
                    destination))));
        this.clientIp = AddressText.asJames(clientAddress());
        this.proxyIp = AddressText.asJames(peer);
    }

    /** A connection from a trusted proxy that sent {@code header}; also for hook authors' unit tests. */
    public static ProxyConnection proxied(ListenerInfo listener, InetSocketAddress peer, InetSocketAddress localAddress,
                                          ProxyData header) {
        return new ProxyConnection(listener, peer, localAddress, Optional.of(header), false, Optional.empty());
    }

    /**
     * A connection from a trusted proxy that sent {@code header}, whose client's reverse DNS was looked up: its
     * forward-confirmed host name {@code clientHostName}, or none. {@link #clientAddress()} carries the name (the IP
     * literal when there is none), so that James's {@code getHostName()} calls ({@code Received:},
     * {@code Mail.getRemoteHost()}) get it without a DNS lookup on an I/O thread.
     */
    public static ProxyConnection proxied(ListenerInfo listener, InetSocketAddress peer, InetSocketAddress localAddress,
                                          ProxyData header, Optional<String> clientHostName) {
        return new ProxyConnection(listener, peer, localAddress, Optional.of(header), true, clientHostName);
    }

    /** A connection from a peer on the {@code direct} list: no header, the peer is the client. */
    public static ProxyConnection direct(ListenerInfo listener, InetSocketAddress peer, InetSocketAddress localAddress) {
        return new ProxyConnection(listener, peer, localAddress, Optional.empty(), false, Optional.empty());
    }

    /**
     * The header's source with a host name that James will read instead of looking one up: the confirmed PTR name,
     * or, without one, the IP literal (what the JDK answers when its own lookup finds no name).
     */
    private static InetSocketAddress named(InetSocketAddress source, Optional<String> hostName) {
        InetAddress address = source.getAddress();
        if (address == null) {
            return source;
        }
        try {
            String name = hostName.orElse(AddressText.asJames(address));
            // Inet6Address.getByAddress keeps an IPv4-mapped client an IPv6 address, as the parser gave it;
            // InetAddress.getByAddress would turn it into IPv4.
            InetAddress named = address instanceof Inet6Address
                ? Inet6Address.getByAddress(name, address.getAddress(), -1)
                : InetAddress.getByAddress(name, address.getAddress());
            return new InetSocketAddress(named, source.getPort());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("an address of " + address.getAddress().length + " bytes", impossible);
        }
    }

    public ListenerInfo listener() {
        return listener;
    }

    /** The real TCP peer: the proxy, or the client itself for a direct connection. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** This server's address of the TCP connection. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The parsed header; empty for a direct connection. */
    public Optional<ProxyData> proxyData() {
        return proxyData;
    }

    public boolean isDirect() {
        return proxyData.isEmpty();
    }

    /**
     * The address James treats as the client: the header's source for a PROXY command with addresses,
     * otherwise (LOCAL, v1 UNKNOWN, UNSPEC, UNIX, direct) the TCP peer.
     */
    public InetSocketAddress clientAddress() {
        return proxyInformation().map(ProxyInformation::getSource).orElse(peer);
    }

    /**
     * The client's IP in James's own text form, the form of {@code Mail.getRemoteAddr()} and James's MDC {@code ip}
     * (IPv6 uncompressed, e.g. {@code 2001:db8:0:0:0:0:0:7}); computed once per connection.
     */
    public String clientIp() {
        return clientIp;
    }

    /** The TCP peer's IP (the proxy, or a direct client) in James's own text form, like {@link #clientIp()}. */
    public String proxyIp() {
        return proxyIp;
    }

    /** The source and destination James's session uses, when the header carries a client address. */
    public Optional<ProxyInformation> proxyInformation() {
        return proxyInformation;
    }

    /** Stores a value that becomes a Connection-state attachment of the SMTP session. */
    public synchronized <T> void attach(ProtocolSession.AttachmentKey<T> key, T value) {
        attachments.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /** A value stored with {@link #attach}, e.g. by an earlier hook. */
    public synchronized <T> Optional<T> attachment(ProtocolSession.AttachmentKey<T> key) {
        return Optional.ofNullable(attachments.get(key)).flatMap(key::convert);
    }

    /** Sets a string Mail attribute on every mail received over this connection. */
    public synchronized void setMailAttribute(String name, String value) {
        mailAttributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    /** The attributes set with {@link #setMailAttribute}, in insertion order. */
    synchronized Map<String, String> mailAttributes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(mailAttributes));
    }

    /**
     * Copies the values stored with {@link #attach} into {@code session} (Connection state). Called by the listener
     * when it creates the session; hooks have no use for it.
     */
    public synchronized void applyAttachments(ProtocolSession session) {
        attachments.forEach((key, value) -> copy(session, key, value));
    }

    private static <T> void copy(ProtocolSession session, ProtocolSession.AttachmentKey<T> key, Object value) {
        key.convert(value).ifPresent(typed -> session.setAttachment(key, typed, ProtocolSession.State.Connection));
    }

    @Override
    public String toString() {
        return "ProxyConnection{listener=" + listener + ", peer=" + AddressText.endpoint(peer)
            + ", client=" + AddressText.endpoint(clientAddress()) + ", direct=" + isDirect() + "}";
    }
}
