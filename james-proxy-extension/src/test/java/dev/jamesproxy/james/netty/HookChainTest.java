package dev.jamesproxy.james.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.hooks.AcceptValidHeaders;
import dev.jamesproxy.james.AsyncProxyHook;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.james.testing.Connections;
import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.protocol.ProxyData;

class HookChainTest {
    private final List<String> calls = new ArrayList<>();

    private ProxyHook named(String name, HookResult result) {
        return (connection, header) -> {
            calls.add(name);
            return result;
        };
    }

    private HookChain chain(Map<String, ProxyHook> hooks) throws ConfigurationException {
        List<ProxyProtocolConfiguration.HookDefinition> definitions = new ArrayList<>();
        hooks.keySet().forEach(name -> definitions.add(new ProxyProtocolConfiguration.HookDefinition(name, new BaseHierarchicalConfiguration())));
        return HookChain.load("<proxiedsmtpserver> 'listener-a'", definitions, hooks::get);
    }

    private HookChain.Verdict evaluate(HookChain chain) {
        ProxyData header = Connections.parse(ProxyHeaders.v1Tcp4("203.0.113.7", 1, "192.0.2.1", 25));
        List<HookChain.Verdict> verdicts = new ArrayList<>();
        chain.evaluate(Connections.proxied(header), header, Runnable::run, verdicts::add);
        assertThat(verdicts).as("a chain of synchronous hooks decides before evaluate returns").hasSize(1);
        return verdicts.get(0);
    }

    @Test
    void noHookShouldRejectEveryConnection() throws Exception {
        HookChain.Verdict verdict = evaluate(chain(Map.of()));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.detail()).isEqualTo("no hook configured");
    }

    @Test
    void listenerWithoutHookShouldBeReportedAsAnErrorWhenLoaded() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            chain(Map.of());

            ILoggingEvent event = logs.await(m -> m.contains("'listener-a' has no <hook>"), Duration.ZERO).orElseThrow();
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
        }
    }

    @Test
    void onlyDeclinesShouldReject() throws Exception {
        HookChain.Verdict verdict = evaluate(chain(Map.of("a", named("a", HookResult.DECLINED))));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.detail()).isEqualTo("no hook accepted");
    }

    @Test
    void declinedShouldAskTheNextHookAndOkShouldStopTheChain() throws Exception {
        LinkedHashMap<String, ProxyHook> hooks = new LinkedHashMap<>();
        hooks.put("a", named("a", HookResult.DECLINED));
        hooks.put("b", named("b", HookResult.OK));
        hooks.put("c", named("c", HookResult.DENY));

        HookChain.Verdict verdict = evaluate(chain(hooks));

        assertThat(verdict.accepted()).isTrue();
        assertThat(calls).containsExactly("a", "b");
    }

    @Test
    void denyShouldRejectWithTheHooksReply() throws Exception {
        HookResult deny = HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("554")
            .smtpDescription("5.7.1 No\r\ninjected").build();

        HookChain.Verdict verdict = evaluate(chain(Map.of("a", named("a", deny))));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reply().map(Reply::toString)).contains("554 5.7.1 No injected");
        assertThat(verdict.detail()).isEqualTo("DENY by a");
    }

    @Test
    void denySoftWithoutCodeShouldRejectSilently() throws Exception {
        HookChain.Verdict verdict = evaluate(chain(Map.of("a", named("a", HookResult.DENYSOFT))));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reply()).isEmpty();
    }

    @Test
    void throwingHookShouldRejectAndNotReachLaterHooks() throws Exception {
        LinkedHashMap<String, ProxyHook> hooks = new LinkedHashMap<>();
        hooks.put("boom", (connection, header) -> {
            throw new IllegalStateException("boom");
        });
        hooks.put("ok", named("ok", HookResult.OK));

        HookChain.Verdict verdict = evaluate(chain(hooks));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.detail()).contains("boom");
        assertThat(calls).isEmpty();
    }

    @Test
    void nullResultShouldReject() throws Exception {
        assertThat(evaluate(chain(Map.of("a", named("a", null)))).accepted()).isFalse();
    }

    @Test
    void acceptValidHeadersShouldAccept() throws Exception {
        assertThat(evaluate(chain(Map.of("accept", new AcceptValidHeaders()))).accepted()).isTrue();
    }

    @Test
    void loadShouldNameTheHookWhoseInitFails() {
        ProxyHook picky = new ProxyHook() {
            @Override
            public void init(HierarchicalConfiguration<ImmutableNode> config)
                    throws ConfigurationException {
                throw new ConfigurationException("needs <x>");
            }

            @Override
            public HookResult doProxy(ProxyConnection connection, ProxyData header) {
                return HookResult.OK;
            }
        };

        assertThatThrownBy(() -> chain(Map.of("com.example.Picky", picky)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<proxiedsmtpserver> 'listener-a': <proxyProtocol><hook class=\"com.example.Picky\">: needs <x>");
    }

    @Test
    void loadShouldNameTheHookThatCannotBeLoaded() {
        assertThatThrownBy(() -> HookChain.load("<proxiedsmtpserver> 'listener-a'",
                List.of(new ProxyProtocolConfiguration.HookDefinition("com.example.Missing", new BaseHierarchicalConfiguration())),
                className -> {
                    throw new ConfigurationException("hook class " + className + " was not found");
                }))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<hook class=\"com.example.Missing\">: hook class com.example.Missing was not found");
    }

    // --- asynchronous hooks ---

    private static AsyncProxyHook async(CompletableFuture<HookResult> answer) {
        return (connection, header) -> answer;
    }

    private static List<HookChain.Verdict> start(HookChain chain, Executor loop) {
        ProxyData header = Connections.parse(ProxyHeaders.v1Tcp4("203.0.113.7", 1, "192.0.2.1", 25));
        List<HookChain.Verdict> verdicts = new ArrayList<>();
        chain.evaluate(Connections.proxied(header), header, loop, verdicts::add);
        return verdicts;
    }

    @Test
    void aPendingAsynchronousHookShouldHoldTheChainUntilItAnswersOnTheEventLoop() throws Exception {
        CompletableFuture<HookResult> answer = new CompletableFuture<>();
        Map<String, ProxyHook> hooks = new LinkedHashMap<>();
        hooks.put("async", async(answer));
        hooks.put("accept", named("accept", HookResult.OK));
        List<Runnable> loop = new ArrayList<>();
        List<HookChain.Verdict> verdicts = start(chain(hooks), loop::add);

        assertThat(verdicts).isEmpty();
        answer.complete(HookResult.DECLINED);
        assertThat(verdicts).as("nothing runs until the event loop runs the hand-back").isEmpty();
        loop.forEach(Runnable::run);

        assertThat(verdicts).singleElement().satisfies(verdict -> assertThat(verdict.accepted()).isTrue());
        assertThat(calls).containsExactly("accept");
    }

    @Test
    void anAsynchronousDenyShouldStopTheChainWithItsReply() throws Exception {
        Map<String, ProxyHook> hooks = new LinkedHashMap<>();
        hooks.put("async", async(CompletableFuture.completedFuture(HookResult.builder()
            .hookReturnCode(HookReturnCode.deny()).smtpReturnCode("554").smtpDescription("5.7.1 listed").build())));
        hooks.put("accept", named("accept", HookResult.OK));

        List<HookChain.Verdict> verdicts = start(chain(hooks), Runnable::run);

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.accepted()).isFalse();
            assertThat(verdict.reply().map(Reply::toString)).contains("554 5.7.1 listed");
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void aFailedOrNullAsynchronousAnswerShouldReject() throws Exception {
        assertThat(start(chain(Map.of("failed", async(CompletableFuture.failedFuture(new IllegalStateException("boom"))))),
            Runnable::run)).singleElement().satisfies(verdict -> assertThat(verdict.detail()).contains("boom"));
        assertThat(start(chain(Map.of("null", (AsyncProxyHook) (connection, header) -> null)), Runnable::run))
            .singleElement().satisfies(verdict -> assertThat(verdict.accepted()).isFalse());
    }

    @Test
    void cancellingShouldCancelThePendingStageAndIgnoreItsAnswer() throws Exception {
        CompletableFuture<HookResult> answer = new CompletableFuture<>();
        ProxyData header = Connections.parse(ProxyHeaders.v1Tcp4("203.0.113.7", 1, "192.0.2.1", 25));
        List<HookChain.Verdict> verdicts = new ArrayList<>();
        List<Runnable> loop = new ArrayList<>();
        HookChain.Evaluation evaluation = chain(Map.of("async", async(answer)))
            .evaluate(Connections.proxied(header), header, loop::add, verdicts::add);

        evaluation.cancel();
        loop.forEach(Runnable::run);

        assertThat(answer.isCancelled()).isTrue();
        assertThat(verdicts).isEmpty();
    }
}
