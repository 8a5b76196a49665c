package dev.jamesproxy.hooks;

import org.apache.james.protocols.smtp.hook.HookResult;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.protocol.ProxyData;

/**
 * Accepts every connection whose header is valid (the decoder never calls hooks otherwise). Put it
 * last, after the hooks that may deny: {@code <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>}.
 */
public class AcceptValidHeaders implements ProxyHook {

    @Override
    public HookResult doProxy(ProxyConnection connection, ProxyData header) {
        return HookResult.OK;
    }
}
