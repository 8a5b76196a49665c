package dev.jamesproxy.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.james.testing.JamesHarness;

/** Configuration errors must stop a real James at startup, with a message naming the element and the fix. */
class StartupFailureTest {
    private static final String VALID = "<timeout>3s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>";

    private static String listener(String jmxName, String proxyProtocol) {
        return "<proxiedsmtpserver>" + (jmxName == null ? "" : "<jmxName>" + jmxName + "</jmxName>")
            + "<bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>"
            + "<proxyProtocol>" + proxyProtocol + "</proxyProtocol>"
            + "<handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain>"
            + "</proxiedsmtpserver>";
    }

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
            Arguments.of("missing timeout",
                listener("p1", "<trustedProxies>127.0.0.1</trustedProxies>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><timeout> is missing. Add e.g. <timeout>3s</timeout>"),
            Arguments.of("unknown hook class",
                listener("p1", VALID + "<hook class=\"com.example.NoSuchHook\"/>"),
                "hook class com.example.NoSuchHook was not found. Check the name, and put its jar in extensions-jars/"),
            Arguments.of("hook class that is no ProxyHook",
                listener("p1", VALID + "<hook class=\"java.lang.StringBuilder\"/>"),
                "hook class java.lang.StringBuilder does not implement dev.jamesproxy.james.ProxyHook"),
            Arguments.of("hook whose own configuration is wrong",
                listener("p1", "<timeout>3s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
                    + "<hook class=\"dev.jamesproxy.hooks.ClientNetworks\"><allow>everyone</allow></hook>"),
                "<hook class=\"dev.jamesproxy.hooks.ClientNetworks\">: ClientNetworks: 'everyone' is not an IP address or a CIDR"),
            Arguments.of("direct overlapping trustedProxies",
                listener("p1", VALID + "<direct>127.0.0.0/8</direct>"),
                "<direct> entry 127.0.0.0/8 overlaps <trustedProxies> entry 127.0.0.1/32"),
            Arguments.of("James's own proxyRequired on a proxied listener",
                listener("p1", VALID).replace("<gracefulShutdown>", "<proxyRequired>true</proxyRequired><gracefulShutdown>"),
                "<proxiedsmtpserver> 'p1': remove <proxyRequired>"),
            Arguments.of("duplicate jmxName",
                listener(null, VALID) + listener(null, VALID),
                "jmxName 'proxiedsmtpserver' is already used by another SMTP listener. Give each <proxiedsmtpserver> its own <jmxName>"),
            // one real boot per kind of value error (BadConfigurationMatrixTest covers every value at unit level)
            Arguments.of("zero timeout",
                listener("p1", VALID.replace("3s", "0s")),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><timeout> '0s' must be greater than 0"),
            Arguments.of("garbage timeout",
                listener("p1", VALID.replace("3s", "soon")),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><timeout> 'soon' is not a duration"),
            Arguments.of("CIDR with a leading zero",
                listener("p1", VALID.replace("127.0.0.1", "127.0.0.1, 010.0.0.1")),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><trustedProxies>: '010.0.0.1' is not an IP address or a CIDR"),
            Arguments.of("CIDR with a bad prefix",
                listener("p1", VALID + "<direct>192.0.2.0/33</direct>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><direct>: '192.0.2.0/33' has a bad prefix length"),
            Arguments.of("unknown crc32c policy",
                listener("p1", VALID + "<crc32c>strict</crc32c>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><crc32c> 'strict' is not a policy"),
            Arguments.of("maxHeaderBytes out of range",
                listener("p1", VALID + "<maxHeaderBytes>65552</maxHeaderBytes>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol>: maxHeaderBytes 65552 is out of range (expected: 16-65551)"),
            Arguments.of("negative maxTlvs",
                listener("p1", VALID + "<maxTlvs>-1</maxTlvs>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><maxTlvs> '-1' must be a whole number"),
            Arguments.of("hook class that is an interface",
                listener("p1", VALID + "<hook class=\"dev.jamesproxy.james.ProxyHook\"/>"),
                "<proxiedsmtpserver> 'p1': <proxyProtocol><hook class=\"dev.jamesproxy.james.ProxyHook\">: hook class"
                    + " dev.jamesproxy.james.ProxyHook could not be instantiated"),
            Arguments.of("jmxName of a stock smtpserver",
                "<smtpserver><jmxName>shared</jmxName><bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>"
                    + "<handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain></smtpserver>"
                    + listener("shared", VALID),
                "<proxiedsmtpserver> jmxName 'shared' is already used by another SMTP listener"),
            Arguments.of("two proxied listeners with one explicit jmxName",
                listener("twice", VALID) + listener("twice", VALID),
                "<proxiedsmtpserver> jmxName 'twice' is already used by another SMTP listener"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void jamesShouldNotStart(String name, String listeners, String expectedMessage) throws Exception {
        try (JamesHarness james = JamesHarness.start("<smtpservers>" + listeners + "</smtpservers>")) {
            fail("James started despite: " + name);
        } catch (Exception e) {
            assertThat(messages(e)).contains(expectedMessage);
        }
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
