package dev.jamesproxy.james.smtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ListenerSetup;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One {@code <proxiedsmtpserver>}: James's own {@link SMTPServer} (every {@code <smtpserver>} option,
 * handler chain, TLS, AUTH) with the PROXY header decoder first in each pipeline, before TLS.
 *
 * <p>Version coupling: this class and {@link SmtpSessionHandler} are the only users of 3.8.1's SMTP
 * protected API ({@code createCoreHandler}, {@code preInit}, {@code SMTPHandlerConfigurationDataImpl}).
 */
public class ProxiedSmtpServer extends SMTPServer {
    /** The element in {@code smtpserver.xml}. */
    public static final String ELEMENT = "proxiedsmtpserver";
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedsmtpserver";

    private final SmtpMetrics smtpMetrics;
    private final ListenerKind.Services services;
    private ListenerSetup setup;
    private SMTPProtocol protocol;
    private ListenerContext context;

    public ProxiedSmtpServer(SmtpMetrics smtpMetrics, ListenerKind.Services services) {
        super(smtpMetrics);
        this.smtpMetrics = smtpMetrics;
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
        // SMTPServer keeps its protocol in a private field, so this listener builds its own, alike.
        SMTPConfiguration configurationData = new SMTPHandlerConfigurationDataImpl();
        protocol = new SMTPProtocol(getProtocolHandlerChain(), configurationData) {
            @Override
            public ProtocolSession newSession(ProtocolTransport transport) {
                return new ExtendedSMTPSession(configurationData, transport);
            }
        };
        context = setup.open(new SmtpBinding(ListenerInfo.Protocol.SMTP), this::getListenAddresses, getEncryption());
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new SmtpSessionHandler(protocol, getEncryption(), smtpMetrics);
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
        return ProxiedCoreCmdHandlerLoader.class;
    }

    @Override
    protected String getDefaultJMXName() {
        return DEFAULT_JMX_NAME;
    }

    @Override
    public String getServiceType() {
        return "Proxied SMTP Service";
    }

    @Override
    protected void postDestroy() {
        super.postDestroy();
        if (setup != null) {
            setup.destroy();
        }
    }
}
