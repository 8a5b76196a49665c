package dev.jamesproxy.james;

import java.util.List;

import javax.annotation.PreDestroy;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.GuiceGenericLoader;
import org.apache.james.utils.UserDefinedStartable;

import com.google.inject.Inject;
import com.google.inject.Injector;

import dev.jamesproxy.james.imap.ImapListenerKind;
import dev.jamesproxy.james.lmtp.LmtpListenerKind;
import dev.jamesproxy.james.managesieve.ManageSieveListenerKind;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.pop3.Pop3ListenerKind;
import dev.jamesproxy.james.smtp.SmtpListenerKind;

/**
 * The extension's entry point, named in {@code extensions.properties}:
 * {@code guice.extension.startable=dev.jamesproxy.james.ProxiedServers}. On James's start it reads every proxied
 * listener element of James's configuration files and starts one listener per enabled element; they stop with James:
 * <ul>
 *   <li>{@code <proxiedsmtpserver>} in {@code smtpserver.xml};</li>
 *   <li>{@code <proxiedlmtpserver>} in {@code lmtpserver.xml};</li>
 *   <li>{@code <proxiedpop3server>} in {@code pop3server.xml};</li>
 *   <li>{@code <proxiedimapserver>} in {@code imapserver.xml};</li>
 *   <li>{@code <proxiedmanagesieveserver>} in {@code managesieveserver.xml}.</li>
 * </ul>
 * A file without such elements, or missing, starts nothing. Any configuration error stops James's startup with a
 * message naming the element and the fix. James services a protocol needs (e.g. IMAP's processor) are looked up only
 * when one of its elements is present, so an application without that protocol can still use the others.
 */
public class ProxiedServers implements UserDefinedStartable {
    /** Every protocol, in the order they start. */
    static final List<ListenerKind> KINDS = List.of(new SmtpListenerKind(), new LmtpListenerKind(), new Pop3ListenerKind(),
        new ImapListenerKind(), new ManageSieveListenerKind());

    private final ProxiedListeners listeners;

    @Inject
    public ProxiedServers(ConfigurationProvider configurationProvider, Injector injector, MetricFactory metricFactory,
                          GuiceGenericLoader genericLoader) {
        this.listeners = new ProxiedListeners(KINDS, configurationProvider, injector, metricFactory, genericLoader);
    }

    @Override
    public void start() {
        listeners.start();
    }

    /** Stops the listeners; called by James on shutdown. */
    @PreDestroy
    public void stop() {
        listeners.stop();
    }

    /** The running listeners, in configuration order. */
    public List<AbstractConfigurableAsyncServer> servers() {
        return listeners.servers();
    }
}
