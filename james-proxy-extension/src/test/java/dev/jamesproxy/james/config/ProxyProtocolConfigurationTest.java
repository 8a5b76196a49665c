package dev.jamesproxy.james.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ch.qos.logback.classic.Level;

import dev.jamesproxy.james.testing.LogCapture;
import dev.jamesproxy.james.testing.Xml;
import dev.jamesproxy.protocol.Crc32cPolicy;
import dev.jamesproxy.protocol.ParserLimits;

class ProxyProtocolConfigurationTest {

    private static ProxyProtocolConfiguration parse(String proxyProtocolChildren) throws ConfigurationException {
        return ProxyProtocolConfiguration.parse("proxiedsmtpserver", "listener-a", Xml.parse(
            "<proxiedsmtpserver><proxyProtocol>" + proxyProtocolChildren + "</proxyProtocol></proxiedsmtpserver>"));
    }

    private static final String MINIMAL = "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies>";

    @Test
    void minimalConfigurationShouldGetTheDocumentedDefaults() throws Exception {
        ProxyProtocolConfiguration configuration = parse(MINIMAL);

        assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(configuration.trustedProxies().contains(InetAddress.getByName("10.1.1.1"))).isTrue();
        assertThat(configuration.direct().isEmpty()).isTrue();
        assertThat(configuration.parserLimits().crc32cPolicy()).isEqualTo(Crc32cPolicy.VERIFY);
        assertThat(configuration.parserLimits().maxHeaderBytes()).isEqualTo(ParserLimits.DEFAULT_MAX_HEADER_BYTES);
        assertThat(configuration.parserLimits().maxTlvs()).isEqualTo(ParserLimits.DEFAULT_MAX_TLVS);
        assertThat(configuration.connectionLimitPerClient()).isZero();
        assertThat(configuration.receivedComment()).isTrue();
        assertThat(configuration.mailAttributes()).isTrue();
        assertThat(configuration.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(configuration.hooks()).isEmpty();
    }

    @Test
    void everyKeyShouldBeRead() throws Exception {
        ProxyProtocolConfiguration configuration = parse("<timeout>1500ms</timeout>"
            + "<trustedProxies>10.0.0.0/8, fd00::/8</trustedProxies><direct>127.0.0.1</direct>"
            + "<crc32c>Require</crc32c><maxHeaderBytes>1024</maxHeaderBytes><maxTlvs>8</maxTlvs>"
            + "<connectionLimitPerClient>5</connectionLimitPerClient><receivedComment>false</receivedComment>"
            + "<mailAttributes>false</mailAttributes><shutdownGrace>2500ms</shutdownGrace>"
            + "<hook class=\"a.B\"><x>1</x></hook><hook class=\" c.D \"/>");

        assertThat(configuration.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(configuration.direct().contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(configuration.parserLimits().crc32cPolicy()).isEqualTo(Crc32cPolicy.REQUIRE);
        assertThat(configuration.parserLimits().maxHeaderBytes()).isEqualTo(1024);
        assertThat(configuration.parserLimits().maxTlvs()).isEqualTo(8);
        assertThat(configuration.connectionLimitPerClient()).isEqualTo(5);
        assertThat(configuration.receivedComment()).isFalse();
        assertThat(configuration.mailAttributes()).isFalse();
        assertThat(configuration.shutdownGrace()).isEqualTo(Duration.ofMillis(2500));
        assertThat(configuration.hooks()).extracting(ProxyProtocolConfiguration.HookDefinition::className)
            .containsExactly("a.B", "c.D");
        assertThat(configuration.hooks().get(0).element().getString("x")).isEqualTo("1");
    }

    @Test
    void aNumberAloneShouldBeSeconds() throws Exception {
        assertThat(parse("<timeout>5</timeout><trustedProxies>10.0.0.0/8</trustedProxies>").timeout())
            .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aZeroShutdownGraceShouldCutEverySessionAtOnce() throws Exception {
        assertThat(parse(MINIMAL + "<shutdownGrace>0</shutdownGrace>").shutdownGrace()).isZero();
    }

    @Test
    void timeoutBelowThreeSecondsShouldBeAcceptedWithAWarning() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            assertThat(parse("<timeout>500ms</timeout><trustedProxies>10.0.0.0/8</trustedProxies>").timeout())
                .isEqualTo(Duration.ofMillis(500));

            assertThat(logs.await(m -> m.contains("<timeout> 500ms is below 3 s"), Duration.ZERO).orElseThrow().getLevel())
                .isEqualTo(Level.WARN);
        }
    }

    @Test
    void trustingTheWholeInternetShouldBeWarnedAbout() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            parse("<timeout>3s</timeout><trustedProxies>0.0.0.0/0</trustedProxies>");

            assertThat(logs.await(m -> m.contains("lets any host on the internet claim any client address"), Duration.ZERO))
                .isPresent();
        }
    }

    @Test
    void missingProxyProtocolShouldNameTheElement() {
        assertThatThrownBy(() -> ProxyProtocolConfiguration.parse("proxiedsmtpserver", "listener-a", Xml.parse("<proxiedsmtpserver/>")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("'listener-a'")
            .hasMessageContaining("<proxyProtocol> is missing");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "<trustedProxies>10.0.0.0/8</trustedProxies>|<timeout> is missing",
        "<timeout>0s</timeout><trustedProxies>10.0.0.0/8</trustedProxies>|must be greater than 0",
        "<timeout>-1s</timeout><trustedProxies>10.0.0.0/8</trustedProxies>|<timeout> '-1s' is not a duration",
        "<timeout>soon</timeout><trustedProxies>10.0.0.0/8</trustedProxies>|<timeout> 'soon' is not a duration",
        "<timeout>3s</timeout>|<trustedProxies> is missing",
        "<timeout>3s</timeout><trustedProxies> </trustedProxies>|<trustedProxies> is missing",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8, haproxy.local</trustedProxies>|'haproxy.local' is not an IP address",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/40</trustedProxies>|bad prefix length",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><direct>10.0.0.7</direct>|overlaps <trustedProxies>",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><direct>bad</direct>|<direct>",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><crc32c>strict</crc32c>|Use verify (the default), require or ignore",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><maxHeaderBytes>8</maxHeaderBytes>|maxHeaderBytes 8 is out of range",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><maxHeaderBytes>4k</maxHeaderBytes>|<maxHeaderBytes> '4k' must be a whole number",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><connectionLimitPerClient>-1</connectionLimitPerClient>|<connectionLimitPerClient> '-1'",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><receivedComment>yes</receivedComment>|must be true or false",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><trustedProxy>10.0.0.1</trustedProxy>|unknown element(s) [trustedProxy]",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><hook/>|<hook> has no class attribute",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><shutdownGrace>a while</shutdownGrace>|<shutdownGrace> 'a while' is not a duration. Use e.g. 5s",
        "<timeout>3s</timeout><trustedProxies>10.0.0.0/8</trustedProxies><shutdownGrace>-5s</shutdownGrace>|<shutdownGrace> '-5s'"
    })
    void errorsShouldNameTheElementAndTheFix(String children, String message) {
        assertThatThrownBy(() -> parse(children))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<proxiedsmtpserver> 'listener-a': <proxyProtocol>")
            .hasMessageContaining(message);
    }

    @Test
    void twoProxyProtocolElementsShouldBeRefused() {
        assertThatThrownBy(() -> ProxyProtocolConfiguration.parse("proxiedsmtpserver", "listener-a", Xml.parse("<proxiedsmtpserver>"
            + "<proxyProtocol>" + MINIMAL + "</proxyProtocol><proxyProtocol>" + MINIMAL + "</proxyProtocol></proxiedsmtpserver>")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("appears 2 times");
    }
}
