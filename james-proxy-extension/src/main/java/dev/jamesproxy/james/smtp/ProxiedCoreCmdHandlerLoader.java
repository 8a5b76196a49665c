package dev.jamesproxy.james.smtp;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;

/**
 * The default core handlers of a {@code <proxiedsmtpserver>}: James's {@link CoreCmdHandlerLoader}
 * list with {@link ReceivedDataLineFilter} replaced by {@link ProxyReceivedDataLineFilter} (the proxy
 * hop noted in {@code Received:}) and {@link ProxyMailAttributesHook} added before James's own
 * message hooks. A handler chain with its own {@code coreHandlersPackage} does not get these; add
 * {@code <handler class="dev.jamesproxy.james.smtp.ProxyMailAttributesHook"/>} to it for the attributes.
 */
public class ProxiedCoreCmdHandlerLoader implements HandlersPackage {
    private final List<String> handlers;

    public ProxiedCoreCmdHandlerLoader() {
        List<String> list = new ArrayList<>();
        for (String name : new CoreCmdHandlerLoader().getHandlers()) {
            if (name.equals(ReceivedDataLineFilter.class.getName())) {
                list.add(ProxyReceivedDataLineFilter.class.getName());
            } else if (name.equals(AddDefaultAttributesMessageHook.class.getName())) {
                list.add(ProxyMailAttributesHook.class.getName());
                list.add(name);
            } else {
                list.add(name);
            }
        }
        if (!list.contains(ProxyMailAttributesHook.class.getName())) {
            list.add(ProxyMailAttributesHook.class.getName());
        }
        this.handlers = List.copyOf(list);
    }

    @Override
    public List<String> getHandlers() {
        return handlers;
    }
}
