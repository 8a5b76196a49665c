package dev.jamesproxy.james.managesieve;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveServer;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;

import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ListenerSetup;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One {@code <proxiedmanagesieveserver>}: James's own {@link ManageSieveServer} (every {@code <managesieveserver>}
 * option: TLS, STARTTLS, limits) with the PROXY header decoder first in each pipeline, before TLS, and a core handler
 * that shows James the client ({@link ManageSieveSessionHandler}).
 *
 * <p>Version coupling: this class and {@link ManageSieveSessionHandler} are the only users of 3.8.1's ManageSieve
 * protected API ({@code doConfigure}, {@code preInit}, {@code createPipelineFactory}, {@code createCoreHandler}, the
 * 3-argument {@code ManageSieveChannelUpstreamHandler} constructor).
 */
public class ProxiedManageSieveServer extends ManageSieveServer {
    /** The element in {@code managesieveserver.xml}. */
    public static final String ELEMENT = "proxiedmanagesieveserver";
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedmanagesieveserver";

    private final int maxLineLength;
    private final ManageSieveProcessor processor;
    private final ListenerKind.Services services;
    private ListenerSetup setup;
    private ListenerContext context;

    public ProxiedManageSieveServer(int maxLineLength, ManageSieveProcessor processor, ListenerKind.Services services) {
        super(maxLineLength, processor);
        this.maxLineLength = maxLineLength;
        this.processor = processor;
        this.services = services;
    }

    @Override
    protected void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        setup = ListenerSetup.configure(ELEMENT, jmxName, configuration, connPerIP, services);
    }

    @Override
    protected void preInit() throws Exception {
        super.preInit();
        context = setup.open(new ManageSieveBinding(), this::getListenAddresses, getEncryption());
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new ManageSieveSessionHandler(processor, getEncryption(), maxLineLength);
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
        return "Proxied Manage Sieve Service";
    }

    @Override
    protected void postDestroy() {
        super.postDestroy();
        if (setup != null) {
            setup.destroy();
        }
    }
}
