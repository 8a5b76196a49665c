package dev.jamesproxy.james;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.annotation.PreDestroy;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.smtpserver.netty.SmtpMetricsImpl;
import org.apache.james.utils.GuiceGenericLoader;
import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Inject;

import dev.jamesproxy.james.netty.HookLoader;
import dev.jamesproxy.james.netty.ProxyMetrics;
import dev.jamesproxy.james.smtp.ProxiedSmtpServer;

/**
 * The extension's entry point, named in {@code extensions.properties}:
 * {@code guice.extension.startable=dev.jamesproxy.james.ProxiedSmtpServers}. On James's start it reads
 * every {@code <proxiedsmtpserver>} element of {@code smtpserver.xml} and starts one
 * {@link ProxiedSmtpServer} per enabled element; they stop with James. Any configuration error stops
 * James's startup with a message naming the element and the fix.
 */
public class ProxiedSmtpServers implements UserDefinedStartable {
    public static final String ELEMENT = ProxiedSmtpServer.ELEMENT;

    private static final Logger LOGGER = LoggerFactory.getLogger(ProxiedSmtpServers.class);

    private final ConfigurationProvider configurationProvider;
    private final DNSService dnsService;
    private final ProtocolHandlerLoader handlerLoader;
    private final FileSystem fileSystem;
    private final MetricFactory metricFactory;
    private final HookLoader hookLoader;
    private final List<ProxiedSmtpServer> servers = new ArrayList<>();

    @Inject
    public ProxiedSmtpServers(ConfigurationProvider configurationProvider, DNSService dnsService,
                              ProtocolHandlerLoader handlerLoader, FileSystem fileSystem, MetricFactory metricFactory,
                              GuiceGenericLoader genericLoader) {
        this.configurationProvider = configurationProvider;
        this.dnsService = dnsService;
        this.handlerLoader = handlerLoader;
        this.fileSystem = fileSystem;
        this.metricFactory = metricFactory;
        this.hookLoader = HookLoader.guice(genericLoader);
    }

    @Override
    public synchronized void start() {
        try {
            HierarchicalConfiguration<ImmutableNode> smtp = configurationProvider.getConfiguration("smtpserver");
            List<HierarchicalConfiguration<ImmutableNode>> elements = smtp.configurationsAt(ELEMENT);
            if (elements.isEmpty()) {
                LOGGER.warn("No <{}> in smtpserver.xml: the PROXY protocol extension starts no listener", ELEMENT);
                return;
            }
            checkUniqueJmxNames(smtp);
            ProxyMetrics proxyMetrics = new ProxyMetrics(metricFactory, ListenerInfo.Protocol.SMTP);
            for (HierarchicalConfiguration<ImmutableNode> element : elements) {
                startOne(element, proxyMetrics);
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("PROXY protocol listeners failed to start: " + e.getMessage(), e);
        }
    }

    private void startOne(HierarchicalConfiguration<ImmutableNode> element, ProxyMetrics proxyMetrics) throws Exception {
        ProxiedSmtpServer server = new ProxiedSmtpServer(new SmtpMetricsImpl(metricFactory), proxyMetrics, hookLoader);
        server.setDnsService(dnsService);
        server.setProtocolHandlerLoader(handlerLoader);
        server.setFileSystem(fileSystem);
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
        servers.add(server);
        LOGGER.info("PROXY protocol SMTP listener '{}' bound to {}", element.getString("jmxName", ProxiedSmtpServer.DEFAULT_JMX_NAME),
            server.getListenAddresses());
    }

    private static void destroyQuietly(ProxiedSmtpServer server) {
        try {
            server.destroy();
        } catch (RuntimeException e) {
            LOGGER.debug("Cleaning up a listener that failed to start", e);
        }
    }

    /** James needs one jmxName per listener; a clash would fail deep in JMX, so say it here. */
    private static void checkUniqueJmxNames(HierarchicalConfiguration<ImmutableNode> smtp) throws ConfigurationException {
        Set<String> seen = new HashSet<>();
        for (HierarchicalConfiguration<ImmutableNode> stock : smtp.configurationsAt("smtpserver")) {
            if (stock.getBoolean("[@enabled]", true)) {
                seen.add(stock.getString("jmxName", "smtpserver"));
            }
        }
        for (HierarchicalConfiguration<ImmutableNode> proxied : smtp.configurationsAt(ELEMENT)) {
            if (!proxied.getBoolean("[@enabled]", true)) {
                continue;
            }
            String name = proxied.getString("jmxName", ProxiedSmtpServer.DEFAULT_JMX_NAME);
            if (!seen.add(name)) {
                throw new ConfigurationException("<" + ELEMENT + "> jmxName '" + name + "' is already used by another SMTP"
                    + " listener. Give each <" + ELEMENT + "> its own <jmxName>, e.g. <jmxName>proxiedsmtpserver-465</jmxName>.");
            }
        }
    }

    /**
     * Stops every listener this startable started; called by James on shutdown. The listeners stop side by side:
     * each graceful Netty shutdown waits a quiet period of about 2 s, and one after the other they would add up
     * (past {@code docker stop}'s 10 s grace period with a handful of listeners).
     */
    @PreDestroy
    public synchronized void stop() {
        List<Thread> stopping = new ArrayList<>();
        for (ProxiedSmtpServer server : servers) {
            Thread thread = new Thread(() -> {
                try {
                    Object bound = server.getListenAddresses();
                    server.destroy();
                    LOGGER.info("PROXY protocol SMTP listener on {} stopped", bound);
                } catch (RuntimeException e) {
                    LOGGER.warn("Failed to stop a PROXY protocol SMTP listener", e);
                }
            }, "proxiedsmtpserver-stop");
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
        servers.clear();
    }

    /** The running listeners, in configuration order. */
    public synchronized List<ProxiedSmtpServer> servers() {
        return List.copyOf(servers);
    }
}
