package dev.jamesproxy.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.james.protocols.smtp.hook.HookResult;

import dev.jamesproxy.james.AsyncProxyHook;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.protocol.ProxyData;

/** The load harness's stand-in for a reputation lookup: DECLINED after 50 ms, without holding any thread meanwhile. */
public class DelayedAnswerHook implements AsyncProxyHook {
    private static final long DELAY_MILLIS = 50;

    @Override
    public CompletionStage<HookResult> doProxyAsync(ProxyConnection connection, ProxyData header) {
        return CompletableFuture.supplyAsync(() -> HookResult.DECLINED,
            CompletableFuture.delayedExecutor(DELAY_MILLIS, TimeUnit.MILLISECONDS));
    }
}
