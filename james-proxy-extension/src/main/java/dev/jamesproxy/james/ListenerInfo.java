package dev.jamesproxy.james;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Describes the proxied listener a connection arrived on; given to hooks. Immutable. */
public final class ListenerInfo {

    /** The James protocol a proxied listener serves. */
    public enum Protocol {
        SMTP("SMTP"),
        LMTP("LMTP"),
        IMAP("IMAP"),
        POP3("POP3"),
        MANAGESIEVE("ManageSieve");

        private final String displayName;

        Protocol(String displayName) {
            this.displayName = displayName;
        }

        /** The name people know, e.g. {@code ManageSieve}. */
        public String displayName() {
            return displayName;
        }
    }

    private final Protocol protocol;
    private final String jmxName;
    private final Supplier<List<InetSocketAddress>> boundAddresses;
    private final boolean implicitTls;
    private final boolean receivedComment;
    private final boolean mailAttributes;

    /** A listener that notes the proxy hop in {@code Received:} and sets Mail attributes (where it receives mail). */
    public ListenerInfo(Protocol protocol, String jmxName, Supplier<List<InetSocketAddress>> boundAddresses,
                        boolean implicitTls) {
        this(protocol, jmxName, boundAddresses, implicitTls, true, true);
    }

    private ListenerInfo(Protocol protocol, String jmxName, Supplier<List<InetSocketAddress>> boundAddresses,
                         boolean implicitTls, boolean receivedComment, boolean mailAttributes) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.jmxName = Objects.requireNonNull(jmxName, "jmxName");
        this.boundAddresses = Objects.requireNonNull(boundAddresses, "boundAddresses");
        this.implicitTls = implicitTls;
        this.receivedComment = receivedComment;
        this.mailAttributes = mailAttributes;
    }

    /** A copy with the {@code <receivedComment>} and {@code <mailAttributes>} settings. */
    public ListenerInfo withMailFacts(boolean receivedComment, boolean mailAttributes) {
        return new ListenerInfo(protocol, jmxName, boundAddresses, implicitTls, receivedComment, mailAttributes);
    }

    /** The protocol this listener serves. */
    public Protocol protocol() {
        return protocol;
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

    /** {@code <receivedComment>}: whether mail received here notes the proxy hop in its {@code Received:} header. */
    public boolean receivedComment() {
        return receivedComment;
    }

    /** {@code <mailAttributes>}: whether mail received here carries {@link ProxyMailAttributes}. */
    public boolean mailAttributes() {
        return mailAttributes;
    }

    @Override
    public String toString() {
        return protocol.displayName() + " '" + jmxName + "'";
    }
}
