package dev.jamesproxy.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;

import dev.jamesproxy.dns.testing.JamesDnsService;
import dev.jamesproxy.dns.testing.LoopbackDnsServer;
import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.testing.Connections;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.Xml;
import dev.jamesproxy.protocol.ProxyData;

/** DnsBlocklist against a real dnsmasq, through James's real DNSJavaService. */
@ExtendWith(LoopbackDnsServer.PrintLogOnFailure.class)
class DnsBlocklistTest {
    /** 2001:db8::7, nibbles reversed by hand (RFC 5782 section 2.4). */
    private static final String V6_CLIENT_NIBBLES = "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
    private static LoopbackDnsServer dns;
    private static DNSJavaService james;

    private final RecordingMetricFactory metrics = new RecordingMetricFactory();

    @BeforeAll
    static void startDns() throws Exception {
        dns = LoopbackDnsServer.builder()
            .a("7.2.0.192.bl.test", "127.0.0.2")          // 192.0.2.7: bl.test
            .a("8.2.0.192.bl.test", "127.0.0.4")          // 192.0.2.8: bl.test and two.test
            .a("8.2.0.192.two.test", "127.0.0.2")
            .a("9.2.0.192.two.test", "127.0.0.2")         // 192.0.2.9: two.test
            .a("10.2.0.192.bl.test", "127.255.255.254")   // 192.0.2.10: bl.test refuses the query
            .a("11.2.0.192.bl.test", "198.51.100.1")      // 192.0.2.11: a rewritten NXDOMAIN
            .a(V6_CLIENT_NIBBLES + ".bl.test", "127.0.0.2")
            .a("2.0.0.127.bl.test", "127.0.0.2")          // 127.0.0.2, the RFC 5782 test entry
            .silentZone("slow.test")
            .start();
        james = JamesDnsService.pointedAt(dns, new RecordingMetricFactory());
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    private DnsBlocklist hook(String children) throws ConfigurationException {
        DnsBlocklist hook = new DnsBlocklist(james, metrics);
        hook.init(Xml.parse("<hook class=\"dev.jamesproxy.hooks.DnsBlocklist\">" + children + "</hook>"));
        return hook;
    }

    private static HookResult answer(DnsBlocklist hook, ProxyConnection connection) throws Exception {
        ProxyData header = connection.proxyData().orElseThrow();
        return hook.doProxyAsync(connection, header).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static HookResult answer(DnsBlocklist hook, String ipv4Client) throws Exception {
        return answer(hook, Connections.from(ipv4Client));
    }

    private static HookReturnCode.Action action(HookResult result) {
        return result.getResult().getAction();
    }

    @Test
    void listedClientShouldBeDeniedWithTheDefaultReply() throws Exception {
        HookResult result = answer(hook("<zone>bl.test</zone>"), "192.0.2.7");

        assertThat(action(result)).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(result.getSmtpRetCode()).isEqualTo("554");
        assertThat(result.getSmtpDescription()).isEqualTo("5.7.1 Service unavailable; client [192.0.2.7] blocked using bl.test");
        assertThat(metrics.countFor(DnsBlocklist.DENIED)).isEqualTo(1);
        assertThat(action(answer(hook("<zone>bl.test</zone>"), "127.0.0.2"))).isEqualTo(HookReturnCode.Action.DENY);
    }

    @Test
    void listedClientShouldGetTheConfiguredReply() throws Exception {
        HookResult result = answer(hook("<zone>bl.test</zone><reply>550 5.7.1 Go away</reply>"), "192.0.2.7");

        assertThat(action(result)).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.7.1 Go away");
    }

    @Test
    void temporaryReplyShouldDenySoftly() throws Exception {
        HookResult result = answer(hook("<zone>bl.test</zone><reply>450 4.7.1 Try later</reply>"), "192.0.2.7");

        assertThat(action(result)).isEqualTo(HookReturnCode.Action.DENYSOFT);
        assertThat(result.getSmtpRetCode()).isEqualTo("450");
    }

    @Test
    void unlistedClientShouldBeDeclined() throws Exception {
        DnsBlocklist hook = hook("<zone>bl.test</zone>");

        assertThat(action(answer(hook, "203.0.113.7"))).isEqualTo(HookReturnCode.Action.DECLINED);
        // 2.0.0.127.bl.test is listed: a hook that forgot to reverse the octets would deny 2.0.0.127
        assertThat(action(answer(hook, "2.0.0.127"))).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(metrics.countFor(DnsBlocklist.DENIED)).isZero();
        assertThat(metrics.countFor(DnsBlocklist.LOOKUP_ERRORS)).isZero();
    }

    @Test
    void weightsShouldAddUpToTheThreshold() throws Exception {
        DnsBlocklist hook = hook("<zone>bl.test</zone><zone weight=\"1\">two.test</zone><threshold>2</threshold>");

        assertThat(action(answer(hook, "192.0.2.7"))).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(action(answer(hook, "192.0.2.9"))).isEqualTo(HookReturnCode.Action.DECLINED);
        HookResult both = answer(hook, "192.0.2.8");
        assertThat(action(both)).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(both.getSmtpDescription()).endsWith("blocked using two.test");
    }

    @Test
    void heavyZoneShouldReachTheThresholdAlone() throws Exception {
        DnsBlocklist hook = hook("<zone>bl.test</zone><zone weight=\"2\">two.test</zone><threshold>2</threshold>");

        assertThat(action(answer(hook, "192.0.2.7"))).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(answer(hook, "192.0.2.9").getSmtpDescription()).endsWith("blocked using two.test");
        assertThat(answer(hook, "192.0.2.8").getSmtpDescription()).endsWith("blocked using two.test");
    }

    @Test
    void ipv6ClientShouldBeLookedUpByReversedNibbles() throws Exception {
        ProxyConnection connection = Connections.proxied(Connections.parse(
            ProxyHeaders.v1Tcp6("2001:db8::7", 40000, "2001:db8::25", 25)));

        HookResult result = answer(hook("<zone>bl.test</zone>"), connection);

        assertThat(action(result)).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(result.getSmtpDescription()).contains("client [2001:db8::7] blocked using bl.test");
        assertThat(action(answer(hook("<zone>bl.test</zone>"), Connections.proxied(Connections.parse(
            ProxyHeaders.v1Tcp6("2001:db8::8", 40000, "2001:db8::25", 25)))))).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void ipv4MappedClientShouldBeLookedUpAsIpv4() throws Exception {
        ProxyConnection connection = Connections.proxied(Connections.parse(
            ProxyHeaders.v2("::ffff:192.0.2.7", 40000, "2001:db8::25", 25).build()));

        HookResult result = answer(hook("<zone>bl.test</zone>"), connection);

        assertThat(action(result)).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(result.getSmtpDescription()).contains("client [192.0.2.7]");
    }

    @Test
    void headerWithoutClientAddressShouldBeDeclinedWithoutLookup() throws Exception {
        DnsBlocklist hook = hook("<zone>bl.test</zone>");
        ProxyData local = Connections.parse(ProxyHeaders.v2Local().build());

        CompletionStage<HookResult> stage = hook.doProxyAsync(Connections.proxied(local), local);

        // A lookup runs on another thread, so its stage could not be complete yet.
        assertThat(stage.toCompletableFuture().isDone()).isTrue();
        assertThat(action(stage.toCompletableFuture().get())).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void silentZoneShouldCountAsNotListedWithinTheTimeout() throws Exception {
        DnsBlocklist hook = hook("<zone>slow.test</zone><zone>bl.test</zone><timeout>500ms</timeout>");
        int silentBefore = dns.silentQueries();

        long start = System.nanoTime();
        HookResult unlisted = answer(hook, "203.0.113.7");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(action(unlisted)).isEqualTo(HookReturnCode.Action.DECLINED);
        // dnsjava alone would wait 10 s
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(5));
        assertThat(dns.silentQueries()).isGreaterThan(silentBefore);
        assertThat(metrics.countFor(DnsBlocklist.LOOKUP_TIMEOUTS)).isEqualTo(1);
        // the zones that answer still count
        assertThat(action(answer(hook, "192.0.2.7"))).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(metrics.countFor(DnsBlocklist.LOOKUP_TIMEOUTS)).isEqualTo(2);
    }

    @Test
    void refusalCodesAndNon127AnswersShouldCountAsErrorsNotListings() throws Exception {
        DnsBlocklist hook = hook("<zone>bl.test</zone>");

        assertThat(action(answer(hook, "192.0.2.10"))).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(action(answer(hook, "192.0.2.11"))).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(metrics.countFor(DnsBlocklist.LOOKUP_ERRORS)).isEqualTo(2);
        assertThat(metrics.countFor(DnsBlocklist.LOOKUP_TIMEOUTS)).isZero();
    }

    @Test
    void guiceShouldBuildTheHookWithJamesServices() {
        DnsBlocklist hook = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(DNSService.class).toInstance(james);
                bind(MetricFactory.class).toInstance(metrics);
            }
        }).getInstance(DnsBlocklist.class);

        assertThat(hook).isNotNull();
    }

    @Test
    void initShouldRequireAZone() {
        assertThatThrownBy(() -> hook("")).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("at least one <zone>").hasMessageContaining("<zone>zen.spamhaus.org</zone>");
        assertThatThrownBy(() -> hook("<zone> </zone>")).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("not a DNS zone name");
    }

    @Test
    void initShouldRejectWeightsBelowOne() {
        assertThatThrownBy(() -> hook("<zone weight=\"0\">bl.test</zone>")).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<zone weight=\"0\">bl.test</zone>").hasMessageContaining("whole number of 1 or more");
        assertThatThrownBy(() -> hook("<zone weight=\"-1\">bl.test</zone>")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> hook("<zone weight=\"two\">bl.test</zone>")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void initShouldRejectBadReplies() {
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><reply>go away</reply>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<reply>").hasMessageContaining("4xx or 5xx");
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><reply>250 fine</reply>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<reply>");
    }

    @Test
    void initShouldRejectOtherMistakes() {
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><threshold>2</threshold>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<threshold>2</threshold> can never be reached");
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><threshold>0</threshold>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<threshold>");
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><timeout>0s</timeout>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<timeout>");
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><timeout>soon</timeout>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<timeout>");
        assertThatThrownBy(() -> hook("<zone>bl.test</zone><zone>BL.test.</zone>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> hook("<zones>bl.test</zones>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("<zones>");
        assertThatThrownBy(() -> hook("<zone match=\"127.0.0.2\">bl.test</zone>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("attribute match");
    }
}
