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
import dev.jamesproxy.protocol.tlv.AwsVpcEndpoint;

/**
 * Behind an AWS Network Load Balancer with PrivateLink: denies PROXY connections whose header does not
 * carry one of the listed VPC endpoint ids (TLV 0xEA, subtype 0x01); DECLINED otherwise, so a later
 * hook accepts. LOCAL and UNKNOWN headers (health checks, no client) are DECLINED.
 * <pre>{@code
 * <hook class="dev.jamesproxy.hooks.RequireAwsVpcEndpoint">
 *   <vpceIds>vpce-0123456789abcdef0, vpce-0fedcba9876543210</vpceIds>
 *   <reply>554 5.7.1 Unknown endpoint</reply>   optional
 * </hook>
 * <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>
 * }</pre>
 */
public class RequireAwsVpcEndpoint implements ProxyHook {
    private Set<String> allowed = Set.of();
    private HookResult denied = HookResult.DENY;

    @Override
    public void init(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        String value = config.getString("vpceIds", "");
        allowed = Arrays.stream(value.split("[,\\s]+"))
            .filter(id -> !id.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        if (allowed.isEmpty()) {
            throw new ConfigurationException("RequireAwsVpcEndpoint needs <vpceIds> with at least one VPC endpoint id,"
                + " e.g. <vpceIds>vpce-0123456789abcdef0</vpceIds>");
        }
        denied = Replies.parse(config.getString("reply", null), HookReturnCode.deny());
    }

    @Override
    public HookResult doProxy(ProxyConnection connection, ProxyData header) {
        if (!header.hasClientAddress()) {
            return HookResult.DECLINED;
        }
        Optional<String> endpoint = AwsVpcEndpoint.from(header);
        if (endpoint.isPresent() && allowed.contains(endpoint.get())) {
            return HookResult.DECLINED;
        }
        return denied;
    }
}
