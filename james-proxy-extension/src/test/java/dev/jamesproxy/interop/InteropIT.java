package dev.jamesproxy.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real proxies and a real client against a real James, all on loopback: swaks (bound to 127.0.0.5) sends a mail
 * through HAProxy (driven by {@code conf/haproxy.cfg} itself), nginx stream and stunnel, and straight from a
 * {@code direct} source. James runs once for every mode, with the packaged jar in {@code extensions-jars/} and the
 * repository's {@code conf/smtpserver.xml}, {@code conf/imapserver.xml} and {@code conf/pop3server.xml} (addresses
 * substituted only); curl (bound to 127.0.0.5 too) logs in over IMAP through HAProxy ({@code conf/haproxy-imap.cfg})
 * and nginx stream, and over POP3 through HAProxy ({@code conf/haproxy-pop3.cfg}). A missing binary fails the test
 * in CI ({@code JAMES_PROXY_REQUIRE_BINARIES=true}) and skips it loudly elsewhere.
 */
@Timeout(120)
@ExtendWith(ChildLogs.class)
class InteropIT {
    private static InteropJames james;

    @BeforeAll
    static void startJames() throws Exception {
        james = InteropJames.start();
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    static InteropJames james() {
        return james;
    }

    @Nested
    @DisplayName("HAProxy with conf/haproxy.cfg")
    class Haproxy extends HaproxyModes {
    }

    @Nested
    @DisplayName("nginx stream, proxy_protocol on")
    class Nginx extends NginxStreamMode {
    }

    @Nested
    @DisplayName("stunnel, protocol = proxy")
    class Stunnel extends StunnelMode {
    }

    @Nested
    @DisplayName("IMAP: HAProxy with conf/haproxy-imap.cfg")
    class ImapHaproxy extends ImapHaproxyModes {
    }

    @Nested
    @DisplayName("IMAP: nginx stream, proxy_protocol on")
    class ImapNginx extends ImapNginxMode {
    }

    @Nested
    @DisplayName("POP3: HAProxy with conf/haproxy-pop3.cfg")
    class Pop3Haproxy extends Pop3HaproxyModes {
    }

    @Nested
    @DisplayName("direct source, no header")
    class Direct extends DirectMode {
    }
}
