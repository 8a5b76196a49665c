package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.CLIENT;
import static dev.jamesproxy.interop.InteropJames.PROXY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.jamesproxy.james.testing.JamesHarness;
import dev.jamesproxy.james.testing.LogCapture;

/**
 * A way of reaching James's IMAP listeners through a proxy: curl (bound to 127.0.0.5 and a source port chosen here)
 * logs in (AUTHENTICATE PLAIN) and selects INBOX, and James's own IMAP log line "Connection established" must carry that client and port
 * in its MDC {@code ip}, with the proxy (127.0.0.1) as {@code proxy.ip}.
 */
abstract class ImapMode extends InteropMode {

    /** Logs in and selects INBOX through {@code url}; returns the MDC of James's "Connection established" line. */
    Map<String, String> selectInboxThrough(String url, String... curlOptions) throws Exception {
        int clientPort = FreePorts.on(CLIENT);
        try (LogCapture logs = LogCapture.open()) {
            ClientRun curl = Curl.selectInbox(url, CLIENT, clientPort, JamesHarness.USER, "secret", curlOptions);

            assertThat(curl.exitCode).as("curl should log in and select INBOX:\n%s", curl).isZero();
            assertThat(curl.transcript).as(curl.toString()).containsPattern("< A\\d+ OK .*(LOGIN|AUTHENTICATE) completed")
                .containsPattern("< A\\d+ OK \\[READ-WRITE\\] SELECT completed");
            String ip = "/" + CLIENT + ":" + clientPort;
            ILoggingEvent established = logs.awaitEvent(e -> e.getFormattedMessage().startsWith("Connection established from")
                && ip.equals(LogCapture.mdc(e).get("ip")), Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError(
                    "James logged no 'Connection established' with MDC ip " + ip + "\n" + curl));
            Map<String, String> mdc = LogCapture.mdc(established);
            assertThat(mdc).as(curl.toString()).containsEntry("protocol", "IMAP").containsEntry("proxy.ip", PROXY)
                .containsEntry("proxy.source", ip);
            System.out.println("[" + url + "] client " + ip + ", James's MDC " + mdc);
            return mdc;
        }
    }
}
