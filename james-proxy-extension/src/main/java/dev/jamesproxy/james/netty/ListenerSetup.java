package dev.jamesproxy.james.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.Encryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;

/**
 * The PROXY side of one proxied listener of any protocol, through its life: configured with the listener's element
 * (the {@code <proxyProtocol>} block, its hooks, and the stock options that do not fit a proxied listener), opened
 * once the listener knows its TLS mode, and destroyed with the listener. Each protocol's server subclass holds one,
 * so the five of them share every PROXY rule. The subclass also hands its {@link ListenerContext} James's bootstrap
 * ({@code configureBootstrap}) and lets it drain the sessions first when it unbinds ({@code unbind}), so that every
 * protocol stops the same way ({@link ListenerShutdown}).
 */
public final class ListenerSetup {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListenerSetup.class);

    private final String element;
    private final String jmxName;
    private final ProxyProtocolConfiguration configuration;
    private final HookChain hooks;
    private final ListenerKind.Services services;

    private ListenerSetup(String element, String jmxName, ProxyProtocolConfiguration configuration, HookChain hooks,
                          ListenerKind.Services services) {
        this.element = element;
        this.jmxName = jmxName;
        this.configuration = configuration;
        this.hooks = hooks;
        this.services = services;
    }

    /**
     * Reads and checks the PROXY settings of one listener element and loads its hooks.
     *
     * @param element the element name, e.g. {@code proxiedimapserver}
     * @param jmxName the listener's jmxName
     * @param server the listener's element
     * @param connectionLimitPerIp James's own {@code <connectionLimitPerIP>} of the listener, which counts the proxy
     * @param services the hook loader, metrics and reverse DNS of the listener's protocol
     * @throws ConfigurationException naming the element and the fix
     */
    public static ListenerSetup configure(String element, String jmxName, HierarchicalConfiguration<ImmutableNode> server,
                                          int connectionLimitPerIp, ListenerKind.Services services)
            throws ConfigurationException {
        String where = where(element, jmxName);
        if (server.getBoolean("proxyRequired", false)) {
            throw new ConfigurationException(where + ": remove <proxyRequired>; this listener reads the PROXY header"
                + " itself (configure it in <proxyProtocol>).");
        }
        if (connectionLimitPerIp > 0) {
            LOGGER.warn("{}: <connectionLimitPerIP> counts the proxy's address, not the client's;"
                + " use <proxyProtocol><connectionLimitPerClient> instead", where);
        }
        ProxyProtocolConfiguration configuration = ProxyProtocolConfiguration.parse(element, jmxName, server);
        HookChain hooks = HookChain.load(where, configuration.hooks(), services.hookLoader());
        return new ListenerSetup(element, jmxName, configuration, hooks, services);
    }

    /**
     * For the protocols whose James server builds a handler chain (SMTP, LMTP, POP3): James fails later, without
     * naming the element, when {@code <handlerchain>} is missing.
     *
     * @throws ConfigurationException naming the element and the fix
     */
    public static void requireHandlerChain(String element, String jmxName, HierarchicalConfiguration<ImmutableNode> server)
            throws ConfigurationException {
        if (server.configurationsAt("handlerchain").isEmpty()) {
            throw new ConfigurationException(where(element, jmxName) + ": <handlerchain> is missing. Add"
                + " <handlerchain/> for James's default handlers of the protocol, or list your handlers in it.");
        }
    }

    public ProxyProtocolConfiguration configuration() {
        return configuration;
    }

    /**
     * The shared state of the listener's connections, once James has built its TLS settings ({@code preInit}).
     *
     * @param boundAddresses where the listener is bound (read later, when hooks ask)
     * @param encryption the listener's {@code getEncryption()}: null without TLS; implicit TLS unless STARTTLS
     */
    public ListenerContext open(ProtocolBinding binding, Supplier<List<InetSocketAddress>> boundAddresses,
                                Encryption encryption) {
        boolean implicitTls = encryption != null && !encryption.isStartTLS();
        ListenerInfo listener = new ListenerInfo(binding.protocol(), jmxName, boundAddresses, implicitTls)
            .withMailFacts(configuration.receivedComment(), configuration.mailAttributes());
        Optional<ReverseDns> reverseDns = configuration.reverseDns() ? Optional.of(services.reverseDns()) : Optional.empty();
        return new ListenerContext(listener, configuration, hooks, services.proxyMetrics(), binding, reverseDns);
    }

    /**
     * James's own pipeline of the listener with the PROXY decoder first, before TLS: {@code stock} is the pipeline
     * factory the protocol's server class builds ({@code super.createPipelineFactory()}), so every protocol keeps its
     * framing, TLS, limits and handlers exactly.
     */
    public static AbstractChannelPipelineFactory<?> proxiedPipeline(AbstractChannelPipelineFactory<?> stock,
                                                                    ListenerContext context) {
        return new ProxiedPipelineFactory(stock, context);
    }

    /** Stops the hooks; called once when the listener is destroyed. */
    public void destroy() {
        hooks.destroy();
    }

    @Override
    public String toString() {
        return where(element, jmxName);
    }

    /** How messages name a listener: {@code <proxiedimapserver> 'imap-1'}. */
    private static String where(String element, String jmxName) {
        return "<" + element + "> '" + jmxName + "'";
    }
}
