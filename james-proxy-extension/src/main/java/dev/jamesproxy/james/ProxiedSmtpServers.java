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

import dev.jamesproxy.james.smtp.SmtpListenerKind;

/**
 * The SMTP-only entry point, kept as an alias of {@link ProxiedServers} for configurations written before the other
 * protocols came: {@code guice.extension.startable=dev.jamesproxy.james.ProxiedSmtpServers} starts one listener per
 * {@code <proxiedsmtpserver>} of {@code smtpserver.xml}, and no other. Name only one of the two startables.
 */
public class ProxiedSmtpServers implements UserDefinedStartable {
    private final ProxiedListeners listeners;

    @Inject
    public ProxiedSmtpServers(ConfigurationProvider configurationProvider, Injector injector, MetricFactory metricFactory,
                              GuiceGenericLoader genericLoader) {
        this.listeners = new ProxiedListeners(List.of(new SmtpListenerKind()), configurationProvider, injector,
            metricFactory, genericLoader);
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
