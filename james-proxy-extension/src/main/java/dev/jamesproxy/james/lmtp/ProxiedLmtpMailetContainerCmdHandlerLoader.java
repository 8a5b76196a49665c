package dev.jamesproxy.james.lmtp;

import java.util.List;

import org.apache.james.lmtpserver.MailetContainerCmdHandlerLoader;
import org.apache.james.protocols.lib.handler.HandlersPackage;

import dev.jamesproxy.james.smtp.ProxiedHandlers;

/**
 * James's LMTP {@link MailetContainerCmdHandlerLoader} (mail goes through the mailet container) for a
 * {@code <proxiedlmtpserver>}, with the proxy hop in {@code Received:}, the Mail attributes and
 * {@code Mail.getRemoteAddr()} of the client: {@code <handlerchain coreHandlersPackage=
 * "dev.jamesproxy.james.lmtp.ProxiedLmtpMailetContainerCmdHandlerLoader">}.
 */
public class ProxiedLmtpMailetContainerCmdHandlerLoader implements HandlersPackage {
    private final List<String> handlers = ProxiedHandlers.of(new MailetContainerCmdHandlerLoader().getHandlers());

    @Override
    public List<String> getHandlers() {
        return handlers;
    }
}
