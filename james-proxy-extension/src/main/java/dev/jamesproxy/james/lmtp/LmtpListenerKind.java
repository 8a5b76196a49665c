package dev.jamesproxy.james.lmtp;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lmtpserver.netty.LMTPMetricsImpl;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerKind;

/** {@code <proxiedlmtpserver>} in {@code lmtpserver.xml}. */
public final class LmtpListenerKind implements ListenerKind {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.LMTP;
    }

    @Override
    public String configurationFile() {
        return "lmtpserver";
    }

    @Override
    public String element() {
        return ProxiedLmtpServer.ELEMENT;
    }

    @Override
    public String stockElement() {
        return "lmtpserver";
    }

    @Override
    public String stockDefaultJmxName() {
        return "lmtpserver";
    }

    @Override
    public String defaultJmxName() {
        return ProxiedLmtpServer.DEFAULT_JMX_NAME;
    }

    @Override
    public AbstractConfigurableAsyncServer newServer(Services services) {
        ProxiedLmtpServer server = new ProxiedLmtpServer(new LMTPMetricsImpl(services.get(MetricFactory.class)),
            services);
        server.setProtocolHandlerLoader(services.get(ProtocolHandlerLoader.class));
        server.setFileSystem(services.get(FileSystem.class));
        return server;
    }
}
