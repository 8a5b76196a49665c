package dev.jamesproxy.james.smtp;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;

/**
 * Turns a stock SMTP or LMTP core handler list into the proxied one: {@link ReceivedDataLineFilter} becomes
 * {@link ProxyReceivedDataLineFilter} (the proxy hop noted in {@code Received:}), and {@link ProxyMailAttributesHook}
 * and James's {@link AddDefaultAttributesMessageHook} ({@code Mail.getRemoteAddr()}/{@code getRemoteHost()}) are
 * there once, the attributes hook first.
 */
public final class ProxiedHandlers {
    private ProxiedHandlers() {
    }

    public static List<String> of(List<String> stock) {
        List<String> handlers = new ArrayList<>();
        for (String name : stock) {
            if (name.equals(ReceivedDataLineFilter.class.getName())) {
                handlers.add(ProxyReceivedDataLineFilter.class.getName());
            } else if (name.equals(AddDefaultAttributesMessageHook.class.getName())) {
                handlers.add(ProxyMailAttributesHook.class.getName());
                handlers.add(name);
            } else {
                handlers.add(name);
            }
        }
        if (!handlers.contains(ProxyMailAttributesHook.class.getName())) {
            handlers.add(ProxyMailAttributesHook.class.getName());
        }
        if (!handlers.contains(AddDefaultAttributesMessageHook.class.getName())) {
            handlers.add(AddDefaultAttributesMessageHook.class.getName());
        }
        return List.copyOf(handlers);
    }
}
