package dev.jamesproxy.james.lmtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.lmtpserver.netty.LMTPMetricsImpl;
import org.apache.james.lmtpserver.netty.LMTPServer;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.smtpserver.ExtendedSMTPSession;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ListenerSetup;
import dev.jamesproxy.james.smtp.SmtpBinding;
import dev.jamesproxy.james.smtp.SmtpSessionHandler;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One {@code <proxiedlmtpserver>}: James's own {@link LMTPServer} (every {@code <lmtpserver>} option and handler
 * chain) with the PROXY header decoder first in each pipeline and the SMTP session handling of a
 * {@code <proxiedsmtpserver>}: the client in the session, {@code Received:}, {@code Mail.getRemoteAddr()} and the
 * same Mail attributes.
 *
 * <p>Version coupling: 3.8.1's {@code LMTPServer.LMTPConfigurationImpl} (protected constructor) and
 * {@code createCoreHandler}; {@code LMTPServer} keeps its configuration and metrics in private fields.
 */
public class ProxiedLmtpServer extends LMTPServer {
    /** The element in {@code lmtpserver.xml}. */
    public static final String ELEMENT = "proxiedlmtpserver";
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedlmtpserver";

    private final LMTPMetricsImpl lmtpMetrics;
    private final ListenerKind.Services services;
    private ListenerSetup setup;
    private ListenerContext context;

    public ProxiedLmtpServer(LMTPMetricsImpl lmtpMetrics, ListenerKind.Services services) {
        super(lmtpMetrics);
        this.lmtpMetrics = lmtpMetrics;
        this.services = services;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        ListenerSetup.requireHandlerChain(ELEMENT, jmxName, configuration);
        setup = ListenerSetup.configure(ELEMENT, jmxName, configuration, connPerIP, services);
    }

    @Override
    protected void preInit() throws Exception {
        super.preInit();
        context = setup.open(new SmtpBinding(ListenerInfo.Protocol.LMTP), this::getListenAddresses, getEncryption());
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        LMTPConfigurationImpl configuration = new LMTPConfigurationImpl() {
        };
        SMTPProtocol protocol = new SMTPProtocol(getProtocolHandlerChain(), configuration) {
            @Override
            public ProtocolSession newSession(ProtocolTransport transport) {
                return new ExtendedSMTPSession(configuration, transport);
            }
        };
        return new SmtpSessionHandler(protocol, getEncryption(), lmtpMetrics);
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
    protected Class<? extends HandlersPackage> getCoreHandlersPackage() {
        return ProxiedLmtpCoreCmdHandlerLoader.class;
    }

    @Override
    protected String getDefaultJMXName() {
        return DEFAULT_JMX_NAME;
    }

    @Override
    public String getServiceType() {
        return "Proxied LMTP Service";
    }

    @Override
    protected void postDestroy() {
        super.postDestroy();
        if (setup != null) {
            setup.destroy();
        }
    }
}
