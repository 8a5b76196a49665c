package dev.jamesproxy.james.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

import dev.jamesproxy.james.ProxyAttachments;
import dev.jamesproxy.james.ProxyMailAttributes;

/**
 * Sets {@link ProxyMailAttributes} on each mail of a proxied connection, when {@code <mailAttributes>}
 * is true (the default). Part of the default core handlers of a {@code <proxiedsmtpserver>}; add it as
 * {@code <handler class="dev.jamesproxy.james.smtp.ProxyMailAttributesHook"/>} to a chain with its own
 * {@code coreHandlersPackage}. Never changes the SMTP outcome.
 */
public class ProxyMailAttributesHook implements JamesMessageHook {

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        session.getAttachment(ProxyAttachments.CONNECTION, ProtocolSession.State.Connection)
            .filter(connection -> connection.listener().mailAttributes())
            .ifPresent(connection -> ProxyMailAttributes.of(connection).forEach(mail::setAttribute));
        return HookResult.DECLINED;
    }
}
