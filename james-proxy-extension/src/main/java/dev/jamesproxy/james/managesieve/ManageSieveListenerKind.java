package dev.jamesproxy.james.managesieve;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.managesieve.api.commands.CoreCommands;
import org.apache.james.managesieve.transcode.ArgumentParser;
import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerKind;

/**
 * {@code <proxiedmanagesieveserver>} in {@code managesieveserver.xml}. The processor is built as James's
 * {@code ManageSieveServerFactory} builds it, over the {@link CoreCommands} James binds (its {@code CoreProcessor}
 * on the sieve repository, the users repository and the sieve parser).
 */
public final class ManageSieveListenerKind implements ListenerKind {
    /** The request length cap James's own factory gives every ManageSieve listener. */
    static final int MAX_LINE_LENGTH = 8000;

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.MANAGESIEVE;
    }

    @Override
    public String configurationFile() {
        return "managesieveserver";
    }

    @Override
    public String element() {
        return ProxiedManageSieveServer.ELEMENT;
    }

    @Override
    public String stockElement() {
        return "managesieveserver";
    }

    @Override
    public String stockDefaultJmxName() {
        return "managesieveserver";
    }

    @Override
    public String defaultJmxName() {
        return ProxiedManageSieveServer.DEFAULT_JMX_NAME;
    }

    @Override
    public AbstractConfigurableAsyncServer newServer(Services services) {
        ManageSieveProcessor processor = new ManageSieveProcessor(new ArgumentParser(services.get(CoreCommands.class)));
        ProxiedManageSieveServer server = new ProxiedManageSieveServer(MAX_LINE_LENGTH, processor,
            services);
        server.setFileSystem(services.get(FileSystem.class));
        return server;
    }
}
