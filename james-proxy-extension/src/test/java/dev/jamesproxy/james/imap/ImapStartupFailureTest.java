package dev.jamesproxy.james.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jamesproxy.james.testing.JamesHarness;

/** Errors in {@code <proxiedimapserver>} elements must stop a real James at startup, naming the element and the fix. */
class ImapStartupFailureTest {
    private static final String VALID = "<timeout>3s</timeout><trustedProxies>127.0.0.1</trustedProxies>"
        + "<hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>";

    private static String listener(String jmxName, String options, String proxyProtocol) {
        return "<proxiedimapserver>" + (jmxName == null ? "" : "<jmxName>" + jmxName + "</jmxName>")
            + "<bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>" + options
            + "<proxyProtocol>" + proxyProtocol + "</proxyProtocol></proxiedimapserver>";
    }

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
            Arguments.of("missing PROXY timeout",
                listener("i1", "", "<trustedProxies>127.0.0.1</trustedProxies>"),
                "<proxiedimapserver> 'i1': <proxyProtocol><timeout> is missing. Add e.g. <timeout>3s</timeout>"),
            Arguments.of("James's own proxyRequired on a proxied listener",
                listener("i1", "<proxyRequired>true</proxyRequired>", VALID),
                "<proxiedimapserver> 'i1': remove <proxyRequired>"),
            Arguments.of("James's own IMAP rule: an idle timeout under 30 minutes",
                listener("i1", "<timeout>60</timeout>", VALID),
                "Minimum timeout of 30 minutes required"),
            Arguments.of("jmxName of a stock imapserver",
                "<imapserver><jmxName>shared</jmxName><bind>127.0.0.1:0</bind><gracefulShutdown>false</gracefulShutdown>"
                    + "</imapserver>" + listener("shared", "", VALID),
                "<proxiedimapserver> jmxName 'shared' is already used by another IMAP listener"),
            Arguments.of("two proxied listeners without jmxName",
                listener(null, "", VALID) + listener(null, "", VALID),
                "jmxName 'proxiedimapserver' is already used by another IMAP listener. Give each <proxiedimapserver>"
                    + " its own <jmxName>"),
            Arguments.of("unknown hook class",
                listener("i1", "", VALID + "<hook class=\"com.example.NoSuchHook\"/>"),
                "hook class com.example.NoSuchHook was not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void jamesShouldNotStart(String name, String listeners, String expectedMessage) throws Exception {
        try (JamesHarness james = JamesHarness.startWith(Map.of("imapserver.xml", "<imapservers>" + listeners + "</imapservers>"))) {
            fail("James started despite: " + name);
        } catch (Exception e) {
            assertThat(messages(e)).contains(expectedMessage);
        }
    }

    static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
