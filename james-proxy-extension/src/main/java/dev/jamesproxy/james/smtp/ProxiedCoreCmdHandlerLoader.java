package dev.jamesproxy.james.smtp;

import java.util.List;

import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;

/**
 * The default core handlers of a {@code <proxiedsmtpserver>}: James's {@link CoreCmdHandlerLoader}
 * list with {@link ReceivedDataLineFilter} replaced by {@link ProxyReceivedDataLineFilter} (the proxy
 * hop noted in {@code Received:}) and {@link ProxyMailAttributesHook} added before James's own
 * message hooks. A handler chain with its own {@code coreHandlersPackage} does not get these; add
 * {@code <handler class="dev.jamesproxy.james.smtp.ProxyMailAttributesHook"/>} to it for the attributes.
 */
public class ProxiedCoreCmdHandlerLoader implements HandlersPackage {
    private final List<String> handlers = ProxiedHandlers.of(new CoreCmdHandlerLoader().getHandlers());

    @Override
    public List<String> getHandlers() {
        return handlers;
    }
}
