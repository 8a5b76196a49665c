package dev.jamesproxy.james.pop3;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerKind;

/** {@code <proxiedpop3server>} in {@code pop3server.xml}. */
public final class Pop3ListenerKind implements ListenerKind {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.POP3;
    }

    @Override
    public String configurationFile() {
        return "pop3server";
    }

    @Override
    public String element() {
        return ProxiedPop3Server.ELEMENT;
    }

    @Override
    public String stockElement() {
        return "pop3server";
    }

    @Override
    public String stockDefaultJmxName() {
        return "pop3server";
    }

    @Override
    public String defaultJmxName() {
        return ProxiedPop3Server.DEFAULT_JMX_NAME;
    }

    @Override
    public AbstractConfigurableAsyncServer newServer(Services services) {
        ProxiedPop3Server server = new ProxiedPop3Server(services);
        server.setProtocolHandlerLoader(services.get(ProtocolHandlerLoader.class));
        server.setFileSystem(services.get(FileSystem.class));
        return server;
    }
}
