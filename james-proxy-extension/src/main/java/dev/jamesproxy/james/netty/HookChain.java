package dev.jamesproxy.james.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.james.HookAnswer;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.protocol.ProxyData;

/**
 * The {@link ProxyHook}s of one listener, asked in order. The first OK accepts; DENY or DENYSOFT rejects; DECLINED
 * asks the next. No hook, no OK, a hook that throws, fails or answers null: reject.
 *
 * <p>Synchronous hooks, and asynchronous ones whose stage is already complete, are asked on the calling event loop
 * without any hand-off. A pending stage suspends the chain; its answer is handed back to the event loop given to
 * {@link #evaluate}, where the chain goes on. The verdict callback therefore always runs on that event loop.
 */
final class HookChain {
    private static final Logger LOGGER = LoggerFactory.getLogger(HookChain.class);

    private final List<NamedHook> hooks;

    private HookChain(List<NamedHook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    private static final class NamedHook {
        private final String className;
        private final ProxyHook hook;
        /** Its OK, built once: most connections end here. */
        private final Verdict accepted;

        private NamedHook(String className, ProxyHook hook) {
            this.className = className;
            this.hook = hook;
            this.accepted = new Verdict(true, Optional.empty(), "accepted by " + className);
        }
    }

    /** The outcome for one connection. */
    static final class Verdict {
        private final boolean accepted;
        private final Optional<Reply> reply;
        private final String detail;

        private Verdict(boolean accepted, Optional<Reply> reply, String detail) {
            this.accepted = accepted;
            this.reply = reply;
            this.detail = detail;
        }

        boolean accepted() {
            return accepted;
        }

        /** The line a rejecting hook asked to send. */
        Optional<Reply> reply() {
            return reply;
        }

        /** Which hook decided, and how; for the log line. */
        String detail() {
            return detail;
        }
    }

    /** One running evaluation, which the connection cancels when it closes or times out. */
    interface Evaluation {
        Evaluation DONE = () -> { };

        /** Cancels the pending hook stage, if any; its answer is then ignored. Event loop only. Idempotent. */
        void cancel();
    }

    /**
     * Instantiates and initialises the hooks of a listener.
     *
     * @param where the listener, as error messages name it, e.g. {@code <proxiedsmtpserver> 'name'}
     * @throws ConfigurationException naming the listener and the hook that failed
     */
    static HookChain load(String where, List<ProxyProtocolConfiguration.HookDefinition> definitions, HookLoader loader)
            throws ConfigurationException {
        List<NamedHook> hooks = new ArrayList<>();
        for (ProxyProtocolConfiguration.HookDefinition definition : definitions) {
            String hookWhere = where + ": <proxyProtocol><hook class=\"" + definition.className() + "\">";
            ProxyHook hook;
            try {
                hook = loader.load(definition.className());
            } catch (ConfigurationException e) {
                throw new ConfigurationException(hookWhere + ": " + e.getMessage(), e);
            }
            try {
                hook.init(definition.element());
            } catch (ConfigurationException e) {
                throw new ConfigurationException(hookWhere + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ConfigurationException(hookWhere + ": init failed: " + e, e);
            }
            hooks.add(new NamedHook(definition.className(), hook));
        }
        if (hooks.isEmpty()) {
            LOGGER.error("{} has no <hook> in <proxyProtocol>: every connection will be rejected."
                + " Add e.g. <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>", where);
        }
        return new HookChain(hooks);
    }

    /**
     * Asks the hooks about one connection and gives the verdict to {@code onVerdict}, on {@code eventLoop}: at once,
     * before this returns, when no hook is pending; later otherwise. Never throws.
     */
    Evaluation evaluate(ProxyConnection connection, ProxyData header, Executor eventLoop, Consumer<Verdict> onVerdict) {
        Run run = new Run(connection, header, eventLoop, onVerdict);
        run.from(0);
        return run;
    }

    private final class Run implements Evaluation {
        private final ProxyConnection connection;
        private final ProxyData header;
        private final Executor eventLoop;
        private final Consumer<Verdict> onVerdict;
        private CompletableFuture<HookAnswer> pending;
        private boolean cancelled;

        private Run(ProxyConnection connection, ProxyData header, Executor eventLoop, Consumer<Verdict> onVerdict) {
            this.connection = connection;
            this.header = header;
            this.eventLoop = eventLoop;
            this.onVerdict = onVerdict;
        }

        /** Asks hooks from {@code index} on, until one decides or a stage is pending. */
        private void from(int index) {
            for (int i = index; i < hooks.size(); i++) {
                NamedHook named = hooks.get(i);
                CompletableFuture<HookAnswer> answer = HookAnswer.ask(named.hook, connection, header);
                if (!answer.isDone()) {
                    int next = i;
                    pending = answer;
                    answer.whenComplete((result, failure) -> eventLoop.execute(() -> resume(next, answer)));
                    return;
                }
                Optional<Verdict> verdict = judge(named, answer);
                if (verdict.isPresent()) {
                    onVerdict.accept(verdict.get());
                    return;
                }
            }
            onVerdict.accept(new Verdict(false, Optional.empty(), hooks.isEmpty() ? "no hook configured" : "no hook accepted"));
        }

        private void resume(int index, CompletableFuture<HookAnswer> answer) {
            if (cancelled || answer != pending) {
                return;
            }
            pending = null;
            Optional<Verdict> verdict = judge(hooks.get(index), answer);
            if (verdict.isPresent()) {
                onVerdict.accept(verdict.get());
            } else {
                from(index + 1);
            }
        }

        /** The verdict of one completed answer, or empty to ask the next hook. */
        private Optional<Verdict> judge(NamedHook named, CompletableFuture<HookAnswer> answer) {
            HookAnswer result;
            try {
                result = answer.join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                LOGGER.error("PROXY hook {} failed for {}; rejecting the connection", named.className, connection, cause);
                return Optional.of(new Verdict(false, Optional.empty(), "hook " + named.className + " threw " + cause));
            }
            if (result == null) {
                LOGGER.error("PROXY hook {} returned null for {}; rejecting the connection (return HookResult.DECLINED"
                    + " for no opinion)", named.className, connection);
                return Optional.of(new Verdict(false, Optional.empty(), "hook " + named.className + " returned null"));
            }
            switch (result.verdict()) {
                case ACCEPT:
                    return Optional.of(named.accepted);
                case REJECT:
                    return Optional.of(new Verdict(false, Reply.of(result), result.action() + " by " + named.className));
                default:
                    return Optional.empty();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (pending != null) {
                pending.cancel(true);
                pending = null;
            }
        }
    }

    /** Calls {@link ProxyHook#destroy()} on each hook, logging failures. */
    void destroy() {
        for (NamedHook named : hooks) {
            try {
                named.hook.destroy();
            } catch (RuntimeException e) {
                LOGGER.warn("PROXY hook {} failed to stop", named.className, e);
            }
        }
    }
}
