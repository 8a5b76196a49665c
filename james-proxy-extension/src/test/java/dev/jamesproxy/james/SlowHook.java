package dev.jamesproxy.james;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.protocols.smtp.hook.HookResult;

import dev.jamesproxy.protocol.ProxyData;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A test {@link AsyncProxyHook} whose answer depends on the client address: it sleeps (on Reactor's boundedElastic
 * threads, as a blocking lookup would), never answers, or fails; every other client is DECLINED at once. It records
 * on which thread it was asked and whether the listener cancelled its stage.
 */
public class SlowHook implements AsyncProxyHook {
    /** Answers DECLINED after {@link #SLEEP} of {@code Thread.sleep} on a boundedElastic thread. */
    public static final String SLEEPS = "198.51.100.80";
    /** Never answers. */
    public static final String NEVER_ANSWERS = "198.51.100.81";
    /** Fails its stage. */
    public static final String FAILS = "198.51.100.82";
    public static final Duration SLEEP = Duration.ofMillis(1500);

    /** Client address to the thread that called {@code doProxyAsync}. */
    public static final Map<String, String> CALLED_ON = new ConcurrentHashMap<>();
    /** Client address to the thread that slept. */
    public static final Map<String, String> SLEPT_ON = new ConcurrentHashMap<>();
    /** Client address to the stage the listener cancelled. */
    public static final Map<String, Boolean> CANCELLED = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<HookResult> doProxyAsync(ProxyConnection connection, ProxyData header) {
        String client = connection.clientIp();
        CALLED_ON.put(client, Thread.currentThread().getName());
        switch (client) {
            case SLEEPS:
                return Mono.fromCallable(() -> {
                    SLEPT_ON.put(client, Thread.currentThread().getName());
                    Thread.sleep(SLEEP.toMillis());
                    return HookResult.DECLINED;
                }).subscribeOn(Schedulers.boundedElastic()).toFuture();
            case NEVER_ANSWERS:
                return watched(client, new CompletableFuture<>());
            case FAILS:
                return CompletableFuture.failedFuture(new IllegalStateException("scripted asynchronous failure"));
            default:
                return CompletableFuture.completedFuture(HookResult.DECLINED);
        }
    }

    private static CompletableFuture<HookResult> watched(String client, CompletableFuture<HookResult> stage) {
        stage.whenComplete((result, failure) -> CANCELLED.put(client, stage.isCancelled()));
        return stage;
    }
}
