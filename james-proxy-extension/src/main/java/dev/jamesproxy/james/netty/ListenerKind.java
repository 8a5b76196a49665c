package dev.jamesproxy.james.netty;

import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import dev.jamesproxy.james.ListenerInfo;

/**
 * One protocol's proxied listener element: where it is configured and how to build its server. The startables
 * find every element of every kind, configure one server per enabled element, and start it.
 */
public interface ListenerKind {

    /** James services a server needs, looked up only when an element of this kind is configured. */
    interface Services {
        /** A James service, e.g. {@code FileSystem} or {@code ImapProcessor}, from James's injector. */
        <T> T get(Class<T> type);

        /** The PROXY metrics of this kind's protocol, shared by its listeners. */
        ProxyMetrics proxyMetrics();

        /** Instantiates {@code <hook class>} elements through James's loader. */
        HookLoader hookLoader();

        /** Reverse DNS through James's DNSService, for listeners with {@code <reverseDns>true</reverseDns>}. */
        ReverseDns reverseDns();
    }

    ListenerInfo.Protocol protocol();

    /** James's configuration file of the protocol, without {@code .xml}, e.g. {@code imapserver}. */
    String configurationFile();

    /** The proxied element, e.g. {@code proxiedimapserver}. */
    String element();

    /** The stock element beside it, e.g. {@code imapserver}, whose jmxNames must differ from the proxied ones. */
    String stockElement();

    /** The jmxName James gives a stock element without one, e.g. {@code imapserver}. */
    String stockDefaultJmxName();

    /** The jmxName of a proxied element without one, e.g. {@code proxiedimapserver}. */
    String defaultJmxName();

    /** A new server with its services set; the startable then configures and starts it. */
    AbstractConfigurableAsyncServer newServer(Services services) throws Exception;
}
