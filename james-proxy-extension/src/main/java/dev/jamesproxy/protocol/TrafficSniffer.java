package dev.jamesproxy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Names the protocol of bytes that arrived where a PROXY header was expected, so that a
 * misconfiguration (the proxy not sending a header, TLS sent first, a client bypassing the proxy) is
 * reported as such.
 */
final class TrafficSniffer {
    private static final String[] SMTP_VERBS = {"EHLO", "HELO", "LHLO", "MAIL", "RCPT", "DATA", "QUIT",
        "RSET", "NOOP", "AUTH", "VRFY", "EXPN", "HELP", "STAR"};
    private static final String[] HTTP_METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ",
        "CONNECT ", "PATCH ", "TRACE "};
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    private TrafficSniffer() {
    }

    static ParseError notProxy(byte[] buf, int offset, int length) {
        if (looksLikeTls(buf, offset, length)) {
            return new ParseError(ParseError.Reason.TLS_INSTEAD_OF_HEADER,
                "a TLS ClientHello arrived where a PROXY header was expected (does the proxy send its header, "
                    + "and before TLS? e.g. HAProxy 'send-proxy' on a TCP-mode server line)");
        }
        String start = new String(buf, offset, Math.min(length, 8), StandardCharsets.ISO_8859_1);
        String upper = start.toUpperCase(Locale.ROOT);
        for (String method : HTTP_METHODS) {
            if (start.startsWith(method)) {
                return new ParseError(ParseError.Reason.HTTP_INSTEAD_OF_HEADER,
                    "an HTTP request arrived where a PROXY header was expected (an HTTP health check or client "
                        + "pointed at the SMTP port?)");
            }
        }
        for (String verb : SMTP_VERBS) {
            if (upper.startsWith(verb)) {
                return new ParseError(ParseError.Reason.SMTP_INSTEAD_OF_HEADER,
                    "an SMTP command arrived where a PROXY header was expected (the proxy does not send a header, "
                        + "or the client bypassed the proxy)");
            }
        }
        return new ParseError(ParseError.Reason.NOT_PROXY,
            "the first bytes are neither a PROXY v1 nor a v2 signature");
    }

    private static boolean looksLikeTls(byte[] buf, int offset, int length) {
        return length >= 2 && (buf[offset] & 0xFF) == TLS_HANDSHAKE_RECORD && buf[offset + 1] == TLS_MAJOR_VERSION;
    }
}
