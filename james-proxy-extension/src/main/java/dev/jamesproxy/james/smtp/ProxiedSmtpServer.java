package dev.jamesproxy.james.smtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.AbstractSSLAwareChannelPipelineFactory;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.james.netty.HookChain;
import dev.jamesproxy.james.netty.HookLoader;
import dev.jamesproxy.james.netty.ListenerContext;
import dev.jamesproxy.james.netty.ProxyMetrics;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/**
 * One {@code <proxiedsmtpserver>}: James's own {@link SMTPServer} (every {@code <smtpserver>} option,
 * handler chain, TLS, AUTH) with the PROXY header decoder first in each pipeline, before TLS.
 *
 * <p>Version coupling: this class and {@link SmtpSessionHandler} are the only users of 3.8.1's
 * protected API ({@code createPipelineFactory}, {@code createCoreHandler}, {@code preInit},
 * the pipeline factory constructor). 3.9 adds {@code proxyFirst} to that constructor.
 */
public class ProxiedSmtpServer extends SMTPServer {
    /** The default {@code <jmxName>}; James requires it to be unique per listener. */
    public static final String DEFAULT_JMX_NAME = "proxiedsmtpserver";

    private static final Logger LOGGER = LoggerFactory.getLogger(ProxiedSmtpServer.class);

    /** The element in {@code smtpserver.xml}. */
    public static final String ELEMENT = "proxiedsmtpserver";

    private final SmtpMetrics smtpMetrics;
    private final ProxyMetrics proxyMetrics;
    private final HookLoader hookLoader;
    private ProxyProtocolConfiguration proxyConfiguration;
    private HookChain hooks;
    private SMTPProtocol protocol;
    private ListenerContext context;

    public ProxiedSmtpServer(SmtpMetrics smtpMetrics, ProxyMetrics proxyMetrics, HookLoader hookLoader) {
        super(smtpMetrics);
        this.smtpMetrics = smtpMetrics;
        this.proxyMetrics = proxyMetrics;
        this.hookLoader = hookLoader;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        if (configuration.getBoolean(PROXY_REQUIRED, false)) {
            throw new ConfigurationException("<" + ELEMENT + "> '" + jmxName + "': remove <proxyRequired>; this listener"
                + " reads the PROXY header itself (configure it in <proxyProtocol>).");
        }
        if (connPerIP > 0) {
            LOGGER.warn("<" + ELEMENT + "> '{}': <connectionLimitPerIP> counts the proxy's address, not the client's;"
                + " use <proxyProtocol><connectionLimitPerClient> instead", jmxName);
        }
        proxyConfiguration = ProxyProtocolConfiguration.parse(ELEMENT, jmxName, configuration);
        hooks = HookChain.load("<" + ELEMENT + "> '" + jmxName + "'", proxyConfiguration.hooks(), hookLoader);
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
        boolean implicitTls = getEncryption() != null && !getEncryption().isStartTLS();
        ListenerInfo listener = new ListenerInfo(ListenerInfo.Protocol.SMTP, jmxName, this::getListenAddresses, implicitTls)
            .withMailFacts(proxyConfiguration.receivedComment(), proxyConfiguration.mailAttributes());
        context = new ListenerContext(listener, proxyConfiguration, hooks, proxyMetrics,
            new SmtpBinding(ListenerInfo.Protocol.SMTP));
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new SmtpSessionHandler(protocol, getEncryption(), smtpMetrics);
    }

    @Override
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        // proxyRequired is false: James's own HAProxyMessageDecoder stays out of the pipeline.
        return new AbstractSSLAwareChannelPipelineFactory<SocketChannel>(getTimeout(), connectionLimit, connPerIP, false,
                this::getEncryption, getFrameHandlerFactory(), getExecutorGroup()) {
            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return createCoreHandler();
            }

            @Override
            public void initChannel(SocketChannel channel) throws Exception {
                super.initChannel(channel);
                channel.pipeline().addFirst(ListenerContext.DECODER_NAME, context.newDecoder());
            }
        };
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
        if (hooks != null) {
            hooks.destroy();
        }
    }
}
