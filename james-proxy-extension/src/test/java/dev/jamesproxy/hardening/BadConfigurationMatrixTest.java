package dev.jamesproxy.hardening;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.james.config.ProxyProtocolConfiguration;
import dev.jamesproxy.james.testing.Xml;

/**
 * Every invalid {@code <proxyProtocol>} value is refused with a message that names the listener, the
 * {@code <proxyProtocol>} element, and the child element at fault. Unit level: no James boot needed (hook
 * classes and duplicate jmxNames need James's loader and the whole smtpserver.xml: StartupFailureTest boots
 * a real James for those, and for one value of each kind here).
 */
class BadConfigurationMatrixTest {
    private static final String WHERE = "<proxiedsmtpserver> 'listener-a': <proxyProtocol>";
    private static final String TIMEOUT = "<timeout>3s</timeout>";
    private static final String TRUSTED = "<trustedProxies>10.0.0.0/8</trustedProxies>";

    private static ProxyProtocolConfiguration parse(String children) throws ConfigurationException {
        return ProxyProtocolConfiguration.parse("proxiedsmtpserver", "listener-a",
            Xml.parse("<proxiedsmtpserver><proxyProtocol>" + children + "</proxyProtocol></proxiedsmtpserver>"));
    }

    private static Arguments bad(String element, String children) {
        return Arguments.of(element, children);
    }

    static Stream<Arguments> invalid() {
        List<Arguments> rows = new ArrayList<>();
        // timeout: missing, empty, 0, negative, garbage
        for (String timeout : new String[] {null, "", " ", "0", "0s", "0ms", "-1", "-1s", "-500ms", "soon", "3 parsecs", "3s5",
            "1e3", "PT3S", "3,5s"}) {
            rows.add(bad("timeout", (timeout == null ? "" : "<timeout>" + timeout + "</timeout>") + TRUSTED));
        }
        // CIDRs: bad syntax, bad prefix, host names, in both lists
        for (String element : new String[] {"trustedProxies", "direct"}) {
            for (String cidr : new String[] {"10.0.0", "10.0.0.0.0", "256.0.0.1", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/33",
                "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/08x", "::/129", "fd00::/1000", "fe80::1%eth0", "[::1]",
                "::g", "1:2:3:4:5:6:7:8:9", "haproxy.local", "localhost", "10.0.0.1-10.0.0.9", "*", "0x0a000001", "012.0.0.1"}) {
                String value = "192.0.2.77, " + cidr;
                rows.add(bad(element, TIMEOUT + (element.equals("trustedProxies")
                    ? "<trustedProxies>" + value + "</trustedProxies>"
                    : TRUSTED + "<direct>" + value + "</direct>")));
            }
        }
        rows.add(bad("trustedProxies", TIMEOUT));
        rows.add(bad("trustedProxies", TIMEOUT + "<trustedProxies> , </trustedProxies>"));
        // overlap: a peer must either send a header or not
        for (String[] overlap : new String[][] {{"10.0.0.0/8", "10.1.2.3"}, {"10.1.0.0/16", "10.0.0.0/8"}, {"10.0.0.0/8", "0.0.0.0/0"},
            {"192.0.2.7", "192.0.2.7/32"}, {"fd00::/8", "fd12::1"}, {"::/0", "2001:db8::/32"}, {"192.0.2.0/24", "::ffff:192.0.2.9"}}) {
            rows.add(bad("direct", TIMEOUT + "<trustedProxies>" + overlap[0] + "</trustedProxies><direct>" + overlap[1] + "</direct>"));
        }
        // crc32c policy
        for (String crc : new String[] {"", "strict", "off", "true", "yes", "verify,require", "0"}) {
            rows.add(bad("crc32c", TIMEOUT + TRUSTED + "<crc32c>" + crc + "</crc32c>"));
        }
        // size limits
        for (String size : new String[] {"0", "15", "65552", "100000", "-1", "4k", "", "4096.0", "9999999999", "0x1000"}) {
            rows.add(bad("maxHeaderBytes", TIMEOUT + TRUSTED + "<maxHeaderBytes>" + size + "</maxHeaderBytes>"));
        }
        for (String count : new String[] {"-1", "-128", "many", "", "1.5", "12345678901"}) {
            rows.add(bad("maxTlvs", TIMEOUT + TRUSTED + "<maxTlvs>" + count + "</maxTlvs>"));
        }
        for (String limit : new String[] {"-1", "ten", ""}) {
            rows.add(bad("connectionLimitPerClient", TIMEOUT + TRUSTED + "<connectionLimitPerClient>" + limit + "</connectionLimitPerClient>"));
        }
        for (String flag : new String[] {"receivedComment", "mailAttributes"}) {
            rows.add(bad(flag, TIMEOUT + TRUSTED + "<" + flag + ">yes</" + flag + ">"));
        }
        // hook elements without a class (unknown and non-hook classes: StartupFailureTest, on a real James)
        rows.add(bad("hook", TIMEOUT + TRUSTED + "<hook/>"));
        rows.add(bad("hook", TIMEOUT + TRUSTED + "<hook class=\" \"/>"));
        rows.add(bad("hook", TIMEOUT + TRUSTED + "<hook name=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>"));
        // unknown elements (misspellings)
        rows.add(bad("trustedProxy", TIMEOUT + TRUSTED + "<trustedProxy>10.0.0.1</trustedProxy>"));
        rows.add(bad("Timeout", TIMEOUT + TRUSTED + "<Timeout>3s</Timeout>"));
        rows.add(bad("maxHeaderLength", TIMEOUT + TRUSTED + "<maxHeaderLength>100</maxHeaderLength>"));
        return rows.stream();
    }

    @ParameterizedTest(name = "<{0}>: {1}")
    @MethodSource("invalid")
    void invalidValuesShouldBeRefusedNamingTheElement(String element, String children) {
        assertThatThrownBy(() -> parse(children))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining(WHERE)
            .hasMessageContaining(element);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aMissingOrRepeatedProxyProtocolShouldBeRefused(String name, String server, String message) {
        assertThatThrownBy(() -> ProxyProtocolConfiguration.parse("proxiedsmtpserver", "listener-a", Xml.parse(server)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<proxiedsmtpserver> 'listener-a'")
            .hasMessageContaining(message);
    }

    static Stream<Arguments> shapes() {
        String valid = "<proxyProtocol>" + TIMEOUT + TRUSTED + "</proxyProtocol>";
        return Stream.of(
            Arguments.of("missing", "<proxiedsmtpserver/>", "<proxyProtocol> is missing"),
            Arguments.of("repeated", "<proxiedsmtpserver>" + valid + valid + "</proxiedsmtpserver>", "appears 2 times"),
            Arguments.of("empty", "<proxiedsmtpserver><proxyProtocol/></proxiedsmtpserver>", "<timeout> is missing"));
    }
}
