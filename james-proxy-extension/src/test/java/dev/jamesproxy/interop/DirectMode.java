package dev.jamesproxy.interop;

import static dev.jamesproxy.interop.InteropJames.CLIENT;
import static dev.jamesproxy.interop.InteropJames.RECIPIENT;
import static dev.jamesproxy.interop.InteropJames.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.interop.InteropJames.Delivery;

/**
 * No proxy: a source on the listener's {@code <direct>} list (127.0.0.5 here) talks plain SMTP to the proxied
 * listener and keeps its own address; a source that is neither direct nor a trusted proxy is turned away.
 */
abstract class DirectMode extends InteropMode {

    @BeforeAll
    void needSwaks() {
        Binaries.require("swaks", "swaks");
    }

    @Test
    void directSourceShouldTalkPlainSmtpWithItsOwnAddress() throws Exception {
        long directBefore = james().metric("proxyProtocol.direct");
        Sent sent = send("direct", james().smtp);

        Delivery delivery = james().delivered(sent.subject);
        String described = sent.swaks + "\n" + delivery;
        assertThat(delivery.received).as(described).contains("([" + CLIENT + "])").doesNotContain("via PROXY");
        assertThat(delivery.mail.getRemoteAddr()).as(described).isEqualTo(CLIENT);
        assertThat(delivery.attribute(MailAttributes.DIRECT)).as(described).isEqualTo(true);
        assertThat(delivery.attribute(MailAttributes.CLIENT_ADDRESS)).as(described).isEqualTo(CLIENT);
        assertThat(delivery.attribute(MailAttributes.CLIENT_PORT)).as(described).isEqualTo(sent.clientPort);
        assertThat(delivery.attribute(MailAttributes.VERSION)).as(described).isNull();
        assertThat(james().metric("proxyProtocol.direct")).isGreaterThan(directBefore);
    }

    @Test
    void aSourceThatIsNeitherDirectNorATrustedProxyShouldBeClosedWithoutGreeting() {
        long untrustedBefore = james().metric("proxyProtocol.rejected.untrusted");
        Swaks.Result result = Swaks.send("127.0.0.1", james().smtp, "127.0.0.6", SENDER, RECIPIENT, "not-direct");

        assertThat(result.exitCode).as(result.toString()).isNotZero();
        assertThat(result.transcript).as(result.toString()).doesNotContain("<-  220");
        assertThat(james().metric("proxyProtocol.rejected.untrusted")).isGreaterThan(untrustedBefore);
    }
}
