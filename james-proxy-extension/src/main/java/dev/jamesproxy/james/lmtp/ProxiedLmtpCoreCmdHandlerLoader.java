package dev.jamesproxy.james.lmtp;

import java.util.List;

import org.apache.james.lmtpserver.CoreCmdHandlerLoader;
import org.apache.james.protocols.lib.handler.HandlersPackage;

import dev.jamesproxy.james.smtp.ProxiedHandlers;

/**
 * The default core handlers of a {@code <proxiedlmtpserver>}: James's LMTP {@link CoreCmdHandlerLoader} (delivery
 * straight to mailboxes) with the proxy hop in {@code Received:}, the Mail attributes and {@code Mail.getRemoteAddr()}
 * of the client, as on a {@code <proxiedsmtpserver>}.
 */
public class ProxiedLmtpCoreCmdHandlerLoader implements HandlersPackage {
    private final List<String> handlers = ProxiedHandlers.of(new CoreCmdHandlerLoader().getHandlers());

    @Override
    public List<String> getHandlers() {
        return handlers;
    }
}
