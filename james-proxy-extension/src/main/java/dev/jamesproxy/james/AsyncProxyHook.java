package dev.jamesproxy.james;

import java.util.concurrent.CompletionStage;

import org.apache.james.protocols.smtp.hook.HookResult;

import dev.jamesproxy.protocol.ProxyData;

/**
 * A {@link ProxyHook} that may answer later: it looks something up (DNS, a reputation service, a
 * database) without holding the connection's event loop. The listener keeps the connection silent while
 * the answer is pending: no byte is written, no James handler runs, and bytes that arrive are kept.
 *
 * <h2>Threads</h2>
 * {@link #doProxyAsync} is called on the connection's Netty event loop and must return at once: start the
 * work elsewhere and return its stage. Blocking work belongs on a scheduler made for it, e.g. Reactor's
 * {@code Mono.fromCallable(lookup).subscribeOn(Schedulers.boundedElastic()).toFuture()}; non-blocking
 * clients may return their own stage. The stage may complete on any thread: the listener hands the answer
 * back to the event loop before it acts on it.
 *
 * <h2>Time</h2>
 * The listener's {@code <timeout>} covers the header <em>and</em> the hooks (as aiosmtpd's one timer
 * does): a stage still pending when it fires rejects the connection, and the listener then cancels it
 * ({@code toCompletableFuture().cancel(true)}). The same happens when the peer closes while a hook runs.
 *
 * <h2>Answers</h2>
 * The same as {@link ProxyHook}: OK, DECLINED, DENY, DENYSOFT, in chain order. A stage that completes
 * exceptionally or with {@code null}, or a {@code doProxyAsync} that throws, rejects the connection.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * public class ReputationCheck implements AsyncProxyHook {
 *     private final ReputationClient client;   // injected; returns CompletableFuture<Score>
 *
 *     @Inject
 *     public ReputationCheck(ReputationClient client) {
 *         this.client = client;
 *     }
 *
 *     public CompletionStage<HookResult> doProxyAsync(ProxyConnection connection, ProxyData header) {
 *         return client.score(connection.clientAddress().getAddress())
 *             .thenApply(score -> score.isBad() ? HookResult.DENY : HookResult.DECLINED);
 *     }
 * }
 * }</pre>
 */
public interface AsyncProxyHook extends ProxyHook {

    /**
     * Starts judging one connection. Called on the connection's event loop, once per connection; must
     * not block.
     *
     * @return a stage completing with OK, DECLINED, DENY or DENYSOFT
     */
    CompletionStage<HookResult> doProxyAsync(ProxyConnection connection, ProxyData header);

    /**
     * Not called by the listener, which always calls {@link #doProxyAsync} for an asynchronous hook.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    default HookResult doProxy(ProxyConnection connection, ProxyData header) {
        throw new UnsupportedOperationException(getClass().getName() + " is asynchronous: call doProxyAsync");
    }
}
