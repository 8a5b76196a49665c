package dev.jamesproxy.james;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import dev.jamesproxy.protocol.ProxyData;

/**
 * A hook's answer, read out of James's SMTP {@link HookResult} (the type the hook API shares with James's own hooks)
 * so that the listeners of every protocol judge it without knowing SMTP types. Immutable.
 */
public final class HookAnswer {

    /** What the listener does with a connection. */
    public enum Verdict {
        /** OK: admit; later hooks are not asked. */
        ACCEPT,
        /** DECLINED or NONE: no opinion; ask the next hook. */
        NO_OPINION,
        /** DENY or DENYSOFT: reject and close. */
        REJECT
    }

    private final Verdict verdict;
    private final String action;
    private final Optional<String> replyCode;
    private final Optional<String> replyText;

    private HookAnswer(Verdict verdict, String action, Optional<String> replyCode, Optional<String> replyText) {
        this.verdict = verdict;
        this.action = action;
        this.replyCode = replyCode;
        this.replyText = replyText;
    }

    /**
     * Asks {@code hook} about one connection: {@link AsyncProxyHook#doProxyAsync} for an asynchronous hook, otherwise
     * {@link ProxyHook#doProxy}. Never throws: a hook that throws gives a failed stage; a null answer (or stage) gives
     * a stage completed with null. Cancelling the returned stage cancels the hook's.
     */
    public static CompletableFuture<HookAnswer> ask(ProxyHook hook, ProxyConnection connection, ProxyData header) {
        try {
            if (hook instanceof AsyncProxyHook) {
                CompletionStage<HookResult> stage = ((AsyncProxyHook) hook).doProxyAsync(connection, header);
                if (stage == null) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<HookResult> hookStage = stage.toCompletableFuture();
                CompletableFuture<HookAnswer> answer = hookStage.thenApply(HookAnswer::of);
                // Cancelling the answer (timeout, peer gone) must reach the hook's own stage.
                answer.whenComplete((ignored, failure) -> {
                    if (answer.isCancelled()) {
                        hookStage.cancel(true);
                    }
                });
                return answer;
            }
            return CompletableFuture.completedFuture(of(hook.doProxy(connection, header)));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The answer a result carries; null for null. */
    static HookAnswer of(HookResult result) {
        if (result == null) {
            return null;
        }
        HookReturnCode.Action action = result.getResult().getAction();
        Verdict verdict;
        switch (action) {
            case OK:
                verdict = Verdict.ACCEPT;
                break;
            case DENY:
            case DENYSOFT:
                verdict = Verdict.REJECT;
                break;
            default:
                verdict = Verdict.NO_OPINION;
                break;
        }
        return new HookAnswer(verdict, action.name(), Optional.ofNullable(result.getSmtpRetCode()),
            Optional.ofNullable(result.getSmtpDescription()));
    }

    public Verdict verdict() {
        return verdict;
    }

    /** James's action name, e.g. {@code DENYSOFT}, for log lines. */
    public String action() {
        return action;
    }

    /** The SMTP code of the line to send before closing, e.g. {@code 554}; empty for a silent close. */
    public Optional<String> replyCode() {
        return replyCode;
    }

    /** The text after the code, e.g. {@code 5.7.1 Not from your network}. */
    public Optional<String> replyText() {
        return replyText;
    }
}
