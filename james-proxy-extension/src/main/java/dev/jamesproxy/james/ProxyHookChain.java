package dev.jamesproxy.james;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.protocol.ProxyData;

/**
 * The {@link ProxyHook}s of one listener, asked in order. The first OK accepts; DENY or DENYSOFT
 * rejects; DECLINED asks the next. No hook, no OK, a hook that throws or returns null: reject.
 */
public final class ProxyHookChain {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyHookChain.class);

    private final List<NamedHook> hooks;

    private ProxyHookChain(List<NamedHook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    private static final class NamedHook {
        private final String className;
        private final ProxyHook hook;

        private NamedHook(String className, ProxyHook hook) {
            this.className = className;
            this.hook = hook;
        }
    }

    /** The outcome for one connection. */
    public static final class Verdict {
        private final boolean accepted;
        private final Optional<String> reply;
        private final String detail;

        private Verdict(boolean accepted, Optional<String> reply, String detail) {
            this.accepted = accepted;
            this.reply = reply;
            this.detail = detail;
        }

        public boolean accepted() {
            return accepted;
        }

        /** The SMTP line a rejecting hook asked to send, without CRLF. */
        public Optional<String> reply() {
            return reply;
        }

        /** Which hook decided, and how; for the log line. */
        public String detail() {
            return detail;
        }
    }

    /**
     * Instantiates and initialises the hooks of a listener.
     *
     * @throws ConfigurationException naming the listener and the hook that failed
     */
    public static ProxyHookChain load(String listener, List<ProxyProtocolConfiguration.HookDefinition> definitions,
                                      ProxyHookLoader loader) throws ConfigurationException {
        List<NamedHook> hooks = new ArrayList<>();
        for (ProxyProtocolConfiguration.HookDefinition definition : definitions) {
            String where = "<proxiedsmtpserver> '" + listener + "': <proxyProtocol><hook class=\"" + definition.className() + "\">";
            ProxyHook hook;
            try {
                hook = loader.load(definition.className());
            } catch (ConfigurationException e) {
                throw new ConfigurationException(where + ": " + e.getMessage(), e);
            }
            try {
                hook.init(definition.element());
            } catch (ConfigurationException e) {
                throw new ConfigurationException(where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ConfigurationException(where + ": init failed: " + e, e);
            }
            hooks.add(new NamedHook(definition.className(), hook));
        }
        if (hooks.isEmpty()) {
            LOGGER.error("<proxiedsmtpserver> '{}' has no <hook> in <proxyProtocol>: every connection will be rejected."
                + " Add e.g. <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>", listener);
        }
        return new ProxyHookChain(hooks);
    }

    /** Asks the hooks about one connection. Never throws. */
    public Verdict evaluate(ProxyConnection connection, ProxyData header) {
        for (NamedHook named : hooks) {
            HookResult result;
            try {
                result = named.hook.doProxy(connection, header);
            } catch (Exception e) {
                LOGGER.error("PROXY hook {} failed for {}; rejecting the connection", named.className, connection, e);
                return new Verdict(false, Optional.empty(), "hook " + named.className + " threw " + e);
            }
            if (result == null) {
                LOGGER.error("PROXY hook {} returned null for {}; rejecting the connection (return HookResult.DECLINED"
                    + " for no opinion)", named.className, connection);
                return new Verdict(false, Optional.empty(), "hook " + named.className + " returned null");
            }
            HookReturnCode.Action action = result.getResult().getAction();
            if (action == HookReturnCode.Action.OK) {
                return new Verdict(true, Optional.empty(), "accepted by " + named.className);
            }
            if (action == HookReturnCode.Action.DENY || action == HookReturnCode.Action.DENYSOFT) {
                return new Verdict(false, reply(result), action + " by " + named.className);
            }
        }
        if (hooks.isEmpty()) {
            return new Verdict(false, Optional.empty(), "no hook configured");
        }
        return new Verdict(false, Optional.empty(), "no hook accepted");
    }

    private static Optional<String> reply(HookResult result) {
        return Optional.ofNullable(result.getSmtpRetCode())
            .map(code -> code + " " + Optional.ofNullable(result.getSmtpDescription()).orElse("Connection refused"))
            .map(line -> line.replaceAll("[\\r\\n]+", " "));
    }

    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** Calls {@link ProxyHook#destroy()} on each hook, logging failures. */
    public void destroy() {
        for (NamedHook named : hooks) {
            try {
                named.hook.destroy();
            } catch (RuntimeException e) {
                LOGGER.warn("PROXY hook {} failed to stop", named.className, e);
            }
        }
    }
}
