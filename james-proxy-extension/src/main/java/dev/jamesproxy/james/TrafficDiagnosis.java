package dev.jamesproxy.james;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the usual misconfigurations from the first bytes a peer sent where a PROXY header was
 * expected: a TLS ClientHello, an SMTP command, an HTTP request, or silence.
 */
final class TrafficDiagnosis {
    private static final Pattern SMTP_COMMAND = Pattern.compile(
        "^(EHLO|HELO|LHLO|MAIL|RCPT|DATA|QUIT|RSET|NOOP|STARTTLS|AUTH|VRFY|HELP)([ \\r\\n].*)?", Pattern.DOTALL);
    private static final Pattern HTTP_REQUEST = Pattern.compile(
        "^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE|PRI) \\S+ HTTP/.*", Pattern.DOTALL);

    private TrafficDiagnosis() {
    }

    /** A hint for the log line, when the bytes look like something other than a PROXY header. */
    static Optional<String> of(byte[] data, int length) {
        if (length == 0) {
            return Optional.of("nothing was received: a client that waits for the 220 greeting"
                + " (plain SMTP without a PROXY header) looks like this; is the proxy configured to send one?");
        }
        if (length >= 3 && data[0] == 0x16 && data[1] == 0x03 && (data[2] & 0xFF) <= 0x04) {
            return Optional.of("this is a TLS ClientHello: the peer speaks TLS without a PROXY header first."
                + " Configure the proxy to send one (HAProxy: send-proxy-v2), or list the peer in <direct>");
        }
        String text = new String(data, 0, Math.min(length, 128), StandardCharsets.ISO_8859_1);
        if (SMTP_COMMAND.matcher(text.toUpperCase(Locale.ROOT)).matches()) {
            return Optional.of("this is an SMTP command: the peer speaks SMTP without a PROXY header."
                + " Configure the proxy to send one (HAProxy: send-proxy), or list the peer in <direct>");
        }
        if (HTTP_REQUEST.matcher(text).matches()) {
            return Optional.of("this is an HTTP request: an HTTP client or health check reached the SMTP listener;"
                + " point HTTP checks elsewhere, or use a TCP check that sends a PROXY LOCAL header");
        }
        return Optional.empty();
    }
}
