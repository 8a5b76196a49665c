package dev.jamesproxy.james;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/** A James message hook in the test chain: copies what it finds in the session attachments to the mail. */
public class AttachmentsToMailHook implements JamesMessageHook {
    public static final String HEADER_VERSION = "test.session.proxyDataVersion";
    public static final String HOOK_LABEL = "test.session.hookLabel";

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        session.getAttachment(ProxyAttachments.PROXY_DATA, ProtocolSession.State.Connection)
            .ifPresent(header -> mail.setAttribute(new Attribute(AttributeName.of(HEADER_VERSION),
                AttributeValue.of(header.version().orElse(-1)))));
        session.getAttachment(ScriptedHook.LABEL, ProtocolSession.State.Connection)
            .ifPresent(label -> mail.setAttribute(new Attribute(AttributeName.of(HOOK_LABEL), AttributeValue.of(label))));
        return HookResult.DECLINED;
    }
}
