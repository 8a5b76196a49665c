package dev.jamesproxy.james.imap;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import dev.jamesproxy.james.ListenerInfo;
import dev.jamesproxy.james.netty.ListenerKind;

/**
 * {@code <proxiedimapserver>} in {@code imapserver.xml}. Each listener gets its own decoder, encoder and processor
 * from James's injector, as James's {@code IMAPServerFactory} gives each {@code <imapserver>}; {@link ImapMetrics}
 * names the same counters ({@code imapConnections}, {@code imapCommands}), so James's IMAP metrics count both.
 */
public final class ImapListenerKind implements ListenerKind {

    @Override
    public ListenerInfo.Protocol protocol() {
        return ListenerInfo.Protocol.IMAP;
    }

    @Override
    public String configurationFile() {
        return "imapserver";
    }

    @Override
    public String element() {
        return ProxiedImapServer.ELEMENT;
    }

    @Override
    public String stockElement() {
        return "imapserver";
    }

    @Override
    public String stockDefaultJmxName() {
        return "imapserver";
    }

    @Override
    public String defaultJmxName() {
        return ProxiedImapServer.DEFAULT_JMX_NAME;
    }

    @Override
    public AbstractConfigurableAsyncServer newServer(Services services) {
        ProxiedImapServer server = new ProxiedImapServer(services.get(ImapDecoder.class), services.get(ImapEncoder.class),
            services.get(ImapProcessor.class), new ImapMetrics(services.get(MetricFactory.class)),
            services.get(GaugeRegistry.class), services);
        server.setFileSystem(services.get(FileSystem.class));
        return server;
    }
}
