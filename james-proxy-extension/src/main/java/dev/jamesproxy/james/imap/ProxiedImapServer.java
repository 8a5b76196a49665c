package dev.jamesproxy.james.imap;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;

import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ListenerSetup;

import io.netty.bootstrap.ServerBootstrap;

/**
 * One {@code <proxiedimapserver>}: James's own {@link IMAPServer} (every {@code <imapserver>} option: TLS, auth,
 * limits, IDLE, compression) with the PROXY header decoder first in each pipeline, before TLS. James's core handler
 * is unchanged; it learns the client from the channel attribute {@link ImapBinding} sets before
 * {@code channelActive}.
 *
 * <p>Version coupling: this class is the only user of 3.8.1's IMAP protected API ({@code doConfigure},
 * {@code preInit}, {@code createPipelineFactory}); {@link ImapBinding} depends on the 3.8.1 attribute
 * {@code HAProxyMessageHandler.PROXY_INFO}.
 */
public class ProxiedImapServer extends IMAPServer {
    /** The element in {@code imapserver.xml}. */
    public static final String ELEMENT = "proxiedimapserver";
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedimapserver";

    private final ListenerKind.Services services;
    private ListenerSetup setup;
    private ListenerContext context;

    public ProxiedImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor, ImapMetrics imapMetrics,
                             GaugeRegistry gaugeRegistry, ListenerKind.Services services) {
        super(decoder, encoder, processor, imapMetrics, gaugeRegistry);
        this.services = services;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        setup = ListenerSetup.configure(ELEMENT, jmxName, configuration, connPerIP, services);
    }

    @Override
    protected void preInit() throws Exception {
        super.preInit();
        context = setup.open(new ImapBinding(), this::getListenAddresses, getEncryption());
    }

    @Override
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        return ListenerSetup.proxiedPipeline(super.createPipelineFactory(), context);
    }

    @Override
    protected void configureBootstrap(ServerBootstrap bootstrap) {
        super.configureBootstrap(bootstrap);
        context.configureBootstrap(bootstrap);
    }

    /** Stops accepting and drains the sessions (closed at once with the protocol's BYE), then James closes the rest. */
    @Override
    public void unbind() {
        if (context != null && isBound()) {
            context.drain();
        }
        super.unbind();
    }

    @Override
    protected String getDefaultJMXName() {
        return DEFAULT_JMX_NAME;
    }

    @Override
    public String getServiceType() {
        return "Proxied IMAP Service";
    }

    @Override
    protected void postDestroy() {
        super.postDestroy();
        if (setup != null) {
            setup.destroy();
        }
    }
}
