package dev.jamesproxy.hooks;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.tlv.SslInfo;

/**
 * For a TLS-terminating proxy that checks client certificates (HAProxy {@code verify required} with
 * {@code send-proxy-v2-ssl-cn}): denies PROXY connections unless the SSL TLV says the client used TLS
 * and presented a certificate the proxy verified; with {@code <commonNames>}, the certificate's CN
 * must also be listed. DECLINED otherwise, so a later hook accepts. LOCAL and UNKNOWN headers are
 * DECLINED.
 * <pre>{@code
 * <hook class="dev.jamesproxy.hooks.RequireVerifiedClientCertificate">
 *   <commonNames>relay1.example.com, relay2.example.com</commonNames>   optional
 *   <reply>530 5.7.0 Client certificate required</reply>              optional
 * </hook>
 * <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>
 * }</pre>
 */
public class RequireVerifiedClientCertificate implements ProxyHook {
    private Set<String> commonNames = Set.of();
    private HookResult denied = HookResult.DENY;

    @Override
    public void init(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        commonNames = Arrays.stream(config.getString("commonNames", "").split("[,\\s]+"))
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        denied = Replies.parse(config.getString("reply", null), HookReturnCode.deny());
    }

    @Override
    public HookResult doProxy(ProxyConnection connection, ProxyData header) {
        if (!header.hasClientAddress()) {
            return HookResult.DECLINED;
        }
        Optional<SslInfo> ssl = SslInfo.from(header);
        if (ssl.isEmpty() || !ssl.get().isTls() || !ssl.get().isClientCertificateVerified()) {
            return denied;
        }
        if (!commonNames.isEmpty() && !ssl.get().commonName().map(commonNames::contains).orElse(false)) {
            return denied;
        }
        return HookResult.DECLINED;
    }
}
