package dev.jamesproxy.james.managesieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.james.testing.JamesHarness;

/** Errors in {@code <proxiedmanagesieveserver>} elements must stop a real James at startup, naming the element. */
class ManageSieveStartupFailureTest {
    private static final String VALID = "<timeout>3s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>";

    private static String listener(String jmxName, String proxyProtocol) {
        return "<proxiedmanagesieveserver>" + (jmxName == null ? "" : "<jmxName>" + jmxName + "</jmxName>")
            + "<bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>"
            + "<proxyProtocol>" + proxyProtocol + "</proxyProtocol></proxiedmanagesieveserver>";
    }

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
            Arguments.of("missing PROXY timeout",
                listener("s1", "<trustedProxies>127.0.0.1</trustedProxies>"),
                "<proxiedmanagesieveserver> 's1': <proxyProtocol><timeout> is missing"),
            Arguments.of("jmxName of a stock managesieveserver",
                "<managesieveserver><jmxName>shared</jmxName><bind>127.0.0.1:0</bind></managesieveserver>"
                    + listener("shared", VALID),
                "<proxiedmanagesieveserver> jmxName 'shared' is already used by another ManageSieve listener"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void jamesShouldNotStart(String name, String listeners, String expectedMessage) throws Exception {
        try (JamesHarness james = JamesHarness.startWith(Map.of("managesieveserver.xml",
            "<managesieveservers>" + listeners + "</managesieveservers>"))) {
            fail("James started despite: " + name);
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                all.append(cause.getMessage()).append('\n');
            }
            assertThat(all.toString()).contains(expectedMessage);
        }
    }
}
