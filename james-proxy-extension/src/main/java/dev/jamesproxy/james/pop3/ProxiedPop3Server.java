package dev.jamesproxy.james.pop3;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.pop3server.netty.POP3Server;
import org.apache.james.protocols.api.ProtocolConfiguration;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.pop3.POP3Protocol;

import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ListenerSetup;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One {@code <proxiedpop3server>}: James's own {@link POP3Server} (every {@code <pop3server>} option, handler chain,
 * TLS, STLS) with the PROXY header decoder first in each pipeline, before TLS, and the client as the session's remote
 * address, so that POP-before-SMTP grants relaying to the client that logged in, never to the proxy.
 *
 * <p>Version coupling: this class and {@link Pop3SessionHandler} use 3.8.1's protected API ({@code preInit},
 * {@code createCoreHandler}, {@code BasicChannelInboundHandler.createSession}); {@code POP3Server} keeps its protocol
 * in a private field, so this listener builds its own, alike.
 */
public class ProxiedPop3Server extends POP3Server {
    /** The element in {@code pop3server.xml}. */
    public static final String ELEMENT = "proxiedpop3server";
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedpop3server";

    private final ListenerKind.Services services;
    private ListenerSetup setup;
    private POP3Protocol protocol;
    private ListenerContext context;

    public ProxiedPop3Server(ListenerKind.Services services) {
        this.services = services;
    }

    @Override
    protected void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        ListenerSetup.requireHandlerChain(ELEMENT, jmxName, configuration);
        setup = ListenerSetup.configure(ELEMENT, jmxName, configuration, connPerIP, services);
    }

    @Override
    protected void preInit() throws Exception {
        super.preInit();
        protocol = new POP3Protocol(getProtocolHandlerChain(), new ProtocolConfiguration() {
            @Override
            public String getHelloName() {
                return ProxiedPop3Server.this.getHelloName();
            }

            @Override
            public String getGreeting() {
                return null;
            }

            @Override
            public String getSoftwareName() {
                return "JAMES POP3 Server ";
            }
        });
        context = setup.open(new Pop3Binding(), this::getListenAddresses, getEncryption());
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new Pop3SessionHandler(protocol, getEncryption());
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

    /** Stops accepting and drains the sessions within {@code <shutdownGrace>}, then James closes what is left. */
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
        return "Proxied POP3 Service";
    }

    @Override
    protected void postDestroy() {
        super.postDestroy();
        if (setup != null) {
            setup.destroy();
        }
    }
}
