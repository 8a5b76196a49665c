package dev.jamesproxy.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrafficDiagnosisTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void silenceShouldPointAtAClientWaitingForTheGreeting() {
        assertThat(TrafficDiagnosis.of(new byte[0], 0)).hasValueSatisfying(hint -> assertThat(hint).contains("220 greeting"));
    }

    @Test
    void clientHelloShouldBeNamed() {
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};

        assertThat(TrafficDiagnosis.of(hello, hello.length)).hasValueSatisfying(hint -> assertThat(hint).contains("TLS ClientHello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EHLO a.example\r\n", "helo x\r\n", "QUIT\r\n", "MAIL FROM:<a@b>\r\n", "STARTTLS\r\n"})
    void smtpCommandsShouldBeNamed(String command) {
        assertThat(TrafficDiagnosis.of(ascii(command), command.length()))
            .hasValueSatisfying(hint -> assertThat(hint).contains("SMTP command"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n", "HEAD /health HTTP/1.0\r\n", "POST /x HTTP/1.1\r\n"})
    void httpRequestsShouldBeNamed(String request) {
        assertThat(TrafficDiagnosis.of(ascii(request), request.length()))
            .hasValueSatisfying(hint -> assertThat(hint).contains("HTTP request"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4", "EHLOX", "hello world", "GET"})
    void otherBytesShouldGetNoHint(String text) {
        assertThat(TrafficDiagnosis.of(ascii(text), text.length())).isEmpty();
    }
}
