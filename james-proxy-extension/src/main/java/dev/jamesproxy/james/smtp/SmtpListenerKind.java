package dev.jamesproxy.james.smtp;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SmtpMetricsImpl;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerKind;

/** {@code <proxiedsmtpserver>} in {@code smtpserver.xml}. */
public final class SmtpListenerKind implements ListenerKind {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.SMTP;
    }

    @Override
    public String configurationFile() {
        return "smtpserver";
    }

    @Override
    public String element() {
        return ProxiedSmtpServer.ELEMENT;
    }

    @Override
    public String stockElement() {
        return "smtpserver";
    }

    @Override
    public String stockDefaultJmxName() {
        return "smtpserver";
    }

    @Override
    public String defaultJmxName() {
        return ProxiedSmtpServer.DEFAULT_JMX_NAME;
    }

    @Override
    public AbstractConfigurableAsyncServer newServer(Services services) {
        ProxiedSmtpServer server = new ProxiedSmtpServer(new SmtpMetricsImpl(services.get(MetricFactory.class)),
            services);
        server.setDnsService(services.get(DNSService.class));
        server.setProtocolHandlerLoader(services.get(ProtocolHandlerLoader.class));
        server.setFileSystem(services.get(FileSystem.class));
        return server;
    }
}
