package dev.jamesproxy.james;

import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import dev.jamesproxy.protocol.ProxyData;

/**
 * A test hook whose answer depends on the header's source address, built by Guice with a James
 * service injected, configured from its own {@code <hook>} element.
 */
public class ScriptedHook implements ProxyHook {
    public static final String DENY_WITH_REPLY = "198.51.100.25";
    public static final String DENYSOFT_SILENT = "198.51.100.26";
    public static final String THROWS = "198.51.100.66";
    public static final String RETURNS_NULL = "198.51.100.67";
    public static final ProtocolSession.AttachmentKey<String> LABEL =
        ProtocolSession.AttachmentKey.of("test.scripted.label", String.class);
    public static final String MAIL_ATTRIBUTE = "test.scripted.label";

    static final AtomicInteger CALLS = new AtomicInteger();

    private final DNSService dnsService;
    private String label;

    @Inject
    public ScriptedHook(DNSService dnsService) {
        this.dnsService = dnsService;
    }

    @Override
    public void init(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        label = config.getString("label", null);
        if (label == null) {
            throw new ConfigurationException("ScriptedHook needs <label>");
        }
        if (dnsService == null) {
            throw new ConfigurationException("DNSService was not injected");
        }
    }

    @Override
    public HookResult doProxy(ProxyConnection connection, ProxyData header) {
        CALLS.incrementAndGet();
        String client = connection.clientAddress().getAddress().getHostAddress();
        switch (client) {
            case DENY_WITH_REPLY:
                return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("554").smtpDescription("5.7.1 scripted denial").build();
            case DENYSOFT_SILENT:
                return HookResult.DENYSOFT;
            case THROWS:
                throw new IllegalStateException("scripted failure");
            case RETURNS_NULL:
                return null;
            default:
                connection.attach(LABEL, label);
                connection.setMailAttribute(MAIL_ATTRIBUTE, label);
                return HookResult.DECLINED;
        }
    }
}
