package dev.jamesproxy.james;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.GuiceGenericLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Injector;

import dev.jamesproxy.james.netty.HookLoader;
import dev.jamesproxy.james.netty.ListenerKind;
import dev.jamesproxy.james.netty.ProxyMetrics;
import dev.jamesproxy.james.netty.ReverseDns;

/**
 * Starts and stops the proxied listeners of some {@link ListenerKind}s; the work behind both startables. Any
 * configuration error stops James's startup with a message naming the element and the fix.
 */
final class ProxiedListeners {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxiedListeners.class);

    private final List<ListenerKind> kinds;
    private final ConfigurationProvider configurationProvider;
    private final Injector injector;
    private final MetricFactory metricFactory;
    private final HookLoader hookLoader;
    /** One for every listener of every protocol: a client's remembered name serves all of them. */
    private final ReverseDns reverseDns;
    private final List<Running> running = new ArrayList<>();

    private static final class Running {
        private final ListenerKind kind;
        private final String jmxName;
        private final AbstractConfigurableAsyncServer server;

        private Running(ListenerKind kind, String jmxName, AbstractConfigurableAsyncServer server) {
            this.kind = kind;
            this.jmxName = jmxName;
            this.server = server;
        }
    }

    ProxiedListeners(List<ListenerKind> kinds, ConfigurationProvider configurationProvider, Injector injector,
                     MetricFactory metricFactory, GuiceGenericLoader genericLoader) {
        this.kinds = List.copyOf(kinds);
        this.configurationProvider = configurationProvider;
        this.injector = injector;
        this.metricFactory = metricFactory;
        this.hookLoader = HookLoader.guice(genericLoader);
        this.reverseDns = new ReverseDns(() -> injector.getInstance(DNSService.class));
    }

    synchronized void start() {
        try {
            int found = 0;
            for (ListenerKind kind : kinds) {
                found += startKind(kind);
            }
            if (found == 0) {
                LOGGER.warn("No proxied listener element ({}) in James's configuration: the PROXY protocol extension"
                    + " starts no listener", kinds.stream().map(kind -> "<" + kind.element() + "> in "
                    + kind.configurationFile() + ".xml").reduce((a, b) -> a + ", " + b).orElse(""));
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("PROXY protocol listeners failed to start: " + e.getMessage(), e);
        }
    }

    private int startKind(ListenerKind kind) throws Exception {
        HierarchicalConfiguration<ImmutableNode> file = configurationProvider.getConfiguration(kind.configurationFile());
        List<HierarchicalConfiguration<ImmutableNode>> elements = file.configurationsAt(kind.element());
        if (elements.isEmpty()) {
            return 0;
        }
        checkUniqueJmxNames(kind, file);
        Services services = new Services(kind);
        for (HierarchicalConfiguration<ImmutableNode> element : elements) {
            startOne(kind, services, element);
        }
        return elements.size();
    }

    private void startOne(ListenerKind kind, Services services, HierarchicalConfiguration<ImmutableNode> element)
            throws Exception {
        AbstractConfigurableAsyncServer server = kind.newServer(services);
        server.configure(element);
        if (!server.isEnabled()) {
            return;
        }
        try {
            server.init();
        } catch (Exception e) {
            destroyQuietly(server);
            throw e;
        }
        String jmxName = element.getString("jmxName", kind.defaultJmxName());
        running.add(new Running(kind, jmxName, server));
        LOGGER.info("PROXY protocol {} listener '{}' bound to {}", kind.protocol().displayName(), jmxName,
            server.getListenAddresses());
    }

    private static void destroyQuietly(AbstractConfigurableAsyncServer server) {
        try {
            server.destroy();
        } catch (RuntimeException e) {
            LOGGER.debug("Cleaning up a listener that failed to start", e);
        }
    }

    /** James needs one jmxName per listener; a clash would fail deep in JMX, so say it here. */
    private static void checkUniqueJmxNames(ListenerKind kind, HierarchicalConfiguration<ImmutableNode> file)
            throws ConfigurationException {
        Set<String> seen = new HashSet<>();
        for (HierarchicalConfiguration<ImmutableNode> stock : file.configurationsAt(kind.stockElement())) {
            if (stock.getBoolean("[@enabled]", true)) {
                seen.add(stock.getString("jmxName", kind.stockDefaultJmxName()));
            }
        }
        for (HierarchicalConfiguration<ImmutableNode> proxied : file.configurationsAt(kind.element())) {
            if (!proxied.getBoolean("[@enabled]", true)) {
                continue;
            }
            String name = proxied.getString("jmxName", kind.defaultJmxName());
            if (!seen.add(name)) {
                throw new ConfigurationException("<" + kind.element() + "> jmxName '" + name + "' is already used by another "
                    + kind.protocol().displayName() + " listener. Give each <" + kind.element() + "> its own <jmxName>,"
                    + " e.g. <jmxName>" + kind.defaultJmxName() + "-2</jmxName>.");
            }
        }
    }

    /**
     * Stops every listener started here; called by James on shutdown, before James's own listeners, mail queue and
     * mailboxes stop. The listeners stop side by side: each drains its sessions within its {@code <shutdownGrace>}
     * (see {@code ListenerShutdown}), then its graceful Netty shutdown waits a quiet period of about 2 s, and one after
     * the other they would add up (past {@code docker stop}'s 10 s with a handful of listeners).
     */
    synchronized void stop() {
        List<Thread> stopping = new ArrayList<>();
        for (Running listener : running) {
            Thread thread = new Thread(() -> {
                try {
                    Object bound = listener.server.getListenAddresses();
                    listener.server.destroy();
                    LOGGER.info("PROXY protocol {} listener '{}' on {} stopped", listener.kind.protocol().displayName(),
                        listener.jmxName, bound);
                } catch (RuntimeException e) {
                    LOGGER.warn("Failed to stop the PROXY protocol listener '{}'", listener.jmxName, e);
                }
            }, "proxied-listener-stop-" + listener.jmxName);
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
    }

    /** The running servers, in configuration order. */
    synchronized List<AbstractConfigurableAsyncServer> servers() {
        List<AbstractConfigurableAsyncServer> servers = new ArrayList<>();
        running.forEach(listener -> servers.add(listener.server));
        return servers;
    }

    private final class Services implements ListenerKind.Services {
        private final ProxyMetrics proxyMetrics;

        private Services(ListenerKind kind) {
            this.proxyMetrics = new ProxyMetrics(metricFactory, kind.protocol());
        }

        @Override
        public <T> T get(Class<T> type) {
            return injector.getInstance(type);
        }

        @Override
        public ProxyMetrics proxyMetrics() {
            return proxyMetrics;
        }

        @Override
        public HookLoader hookLoader() {
            return hookLoader;
        }

        @Override
        public ReverseDns reverseDns() {
            return reverseDns;
        }
    }
}
