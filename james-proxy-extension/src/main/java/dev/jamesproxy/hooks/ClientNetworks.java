package dev.jamesproxy.hooks;

import java.net.InetAddress;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.james.config.TrustedNetworks;
import dev.jamesproxy.protocol.ProxyData;

/**
 * Allow and deny lists on the client address (the header's source; the proxy itself for LOCAL or
 * UNKNOWN headers). Denies a client in {@code <deny>}, and a client outside {@code <allow>} when
 * {@code <allow>} is given; otherwise DECLINED, so a later hook decides:
 * <pre>{@code
 * <hook class="dev.jamesproxy.hooks.ClientNetworks">
 *   <allow>0.0.0.0/0, ::/0</allow>        optional, CIDRs
 *   <deny>192.0.2.0/24</deny>             optional, CIDRs
 *   <reply>554 5.7.1 Not accepted from your network</reply>   optional; default: close silently
 * </hook>
 * <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>
 * }</pre>
 */
public class ClientNetworks implements ProxyHook {
    private TrustedNetworks allow = TrustedNetworks.none();
    private TrustedNetworks deny = TrustedNetworks.none();
    private boolean allowConfigured;
    private HookResult denied = HookResult.DENY;

    @Override
    public void init(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        String allowValue = config.getString("allow", null);
        String denyValue = config.getString("deny", null);
        if (allowValue == null && denyValue == null) {
            throw new ConfigurationException("ClientNetworks needs <allow> and/or <deny> with CIDRs,"
                + " e.g. <deny>192.0.2.0/24</deny>");
        }
        try {
            if (allowValue != null) {
                allow = TrustedNetworks.parse(allowValue);
                allowConfigured = true;
            }
            if (denyValue != null) {
                deny = TrustedNetworks.parse(denyValue);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("ClientNetworks: " + e.getMessage(), e);
        }
        denied = Replies.parse(config.getString("reply", null), HookReturnCode.deny());
    }

    @Override
    public HookResult doProxy(ProxyConnection connection, ProxyData header) {
        InetAddress client = connection.clientAddress().getAddress();
        if (client == null) {
            return denied;
        }
        if (deny.contains(client)) {
            return denied;
        }
        if (allowConfigured && !allow.contains(client)) {
            return denied;
        }
        return HookResult.DECLINED;
    }
}
