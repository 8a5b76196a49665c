package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;

import dev.jamesproxy.james.testing.JamesHarness;

/**
 * The one James the interop tests share: a real memory James whose only copy of the extension is the packaged jar
 * in {@code extensions-jars/}, configured by the repository's own {@code conf/smtpserver.xml} and
 * {@code conf/imapserver.xml} with only addresses changed: listeners bind free loopback ports, the proxies' address
 * {@code 172.30.0.10} becomes {@code 127.0.0.1} (where HAProxy, nginx and stunnel connect from), the {@code direct}
 * source becomes the client {@code 127.0.0.5},
 * and the keystore is {@code conf/tls/keystore} by its absolute path.
 */
final class InteropJames implements AutoCloseable {
    /** The client's own address: swaks binds it, so that it can never be confused with a proxy's. */
    static final String CLIENT = "127.0.0.5";
    /** Where the proxies connect to James from (Linux picks 127.0.0.1 for loopback). */
    static final String PROXY = "127.0.0.1";
    static final String SENDER = "alice@sender.example";
    static final String RECIPIENT = JamesHarness.USER;
    static final Path CONF = Paths.get("..", "conf").toAbsolutePath().normalize();
    static final Path TLS = CONF.resolve("tls");

    private final JamesHarness james;
    final int smtp;
    final int smtps;
    final int submission;
    final int terminated;
    final int imap;
    final int imaps;
    final int imapTerminated;
    final int pop3;
    final int pop3s;

    private InteropJames(JamesHarness james) throws Exception {
        this.james = james;
        this.smtp = JamesHarness.port("proxiedsmtpserver-smtp");
        this.smtps = JamesHarness.port("proxiedsmtpserver-smtps");
        this.submission = JamesHarness.port("proxiedsmtpserver-submission");
        this.terminated = JamesHarness.port("proxiedsmtpserver-terminated");
        this.imap = JamesHarness.port("proxiedimapserver-imap");
        this.imaps = JamesHarness.port("proxiedimapserver-imaps");
        this.imapTerminated = JamesHarness.port("proxiedimapserver-terminated");
        this.pop3 = JamesHarness.port("proxiedpop3server-pop3");
        this.pop3s = JamesHarness.port("proxiedpop3server-pop3s");
    }

    static InteropJames start() throws Exception {
        Path jar = Paths.get(System.getProperty("extension.jar", "target/james-proxy-extension.jar"));
        assertThat(jar).as("the packaged jar (run through 'mvn verify', after 'package')").exists();
        return new InteropJames(JamesHarness.start(smtpserverXml(), jar, Map.of("imapserver.xml", confFile("imapserver.xml"),
            "pop3server.xml", confFile("pop3server.xml"))));
    }

    /** conf/smtpserver.xml with only its addresses changed; fails when the file no longer has what is replaced. */
    static String smtpserverXml() throws IOException {
        return confFile("smtpserver.xml");
    }

    /** A conf/ file with only its addresses changed; fails when the file no longer has what is replaced. */
    private static String confFile(String name) throws IOException {
        String xml = Files.readString(CONF.resolve(name), StandardCharsets.UTF_8);
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:[0-9]+</bind>", "<bind>127.0.0.1:0</bind>");
        xml = replace(xml, "<trustedProxies>172\\.30\\.0\\.10</trustedProxies>", "<trustedProxies>" + PROXY + "</trustedProxies>");
        xml = replace(xml, "<direct>127\\.0\\.0\\.1, ::1</direct>", "<direct>" + CLIENT + "</direct>");
        xml = replace(xml, "<keystore>file://conf/keystore</keystore>",
            "<keystore>file://" + TLS.resolve("keystore") + "</keystore>");
        assertThat(xml.replaceAll("(?s)<!--.*?-->", ""))
            .as("conf/%s: an address the interop tests do not substitute", name)
            .doesNotContain("172.30.0.10").doesNotContain("0.0.0.0").doesNotContain("file://conf/keystore");
        return xml;
    }

    private static String replace(String xml, String regex, String replacement) {
        String replaced = xml.replaceAll(regex, replacement);
        assertThat(replaced).as("a conf/ file should contain %s", regex).isNotEqualTo(xml);
        return replaced;
    }

    long metric(String name) {
        return james.probe().metric(name);
    }

    /** Waits (at most {@code wait}) until metric {@code name} reaches {@code atLeast}; returns its last value. */
    long awaitMetric(String name, long atLeast, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long value = metric(name);
        while (value < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(200);
            value = metric(name);
        }
        return value;
    }

    /** The mail with this subject, as delivered to the recipient's INBOX and as the mailet container saw it. */
    Delivery delivered(String subject) throws Exception {
        Duration wait = Duration.ofSeconds(15);
        String message = james.probe().inboxMessageContaining(RECIPIENT, "Subject: " + subject, wait)
            .orElseThrow(() -> new AssertionError("no mail '" + subject + "' in " + RECIPIENT + "'s INBOX"));
        Mail mail = james.probe().receivedMail(m -> subject.equals(subject(m)), wait)
            .orElseThrow(() -> new AssertionError("mail '" + subject + "' not seen by the mailet container"));
        return new Delivery(message, mail);
    }

    private static String subject(Mail mail) {
        try {
            return mail.getMessage().getSubject();
        } catch (MessagingException e) {
            return null;
        }
    }

    @Override
    public void close() {
        james.close();
    }

    /** One delivered mail: its first {@code Received:} header (unfolded) and its Mail attributes. */
    static final class Delivery {
        final String message;
        final String received;
        final Mail mail;

        Delivery(String message, Mail mail) {
            this.message = message;
            this.received = firstReceived(message);
            this.mail = mail;
        }

        /** A Mail attribute's value (String, Integer, Boolean...), or null. */
        Object attribute(String name) {
            Optional<Object> value = mail.getAttribute(AttributeName.of(name)).map(a -> a.getValue().value());
            return value.orElse(null);
        }

        private static String firstReceived(String message) {
            String[] lines = message.split("\r?\n");
            StringBuilder header = new StringBuilder();
            for (String line : lines) {
                if (header.length() == 0) {
                    if (line.startsWith("Received:")) {
                        header.append(line);
                    }
                } else if (line.startsWith(" ") || line.startsWith("\t")) {
                    header.append(' ').append(line.trim());
                } else {
                    break;
                }
            }
            return header.toString();
        }

        @Override
        public String toString() {
            return received + "\nattributes: " + mail.attributes()
                .map(a -> a.getName().asString() + "=" + a.getValue().value())
                .sorted().reduce((a, b) -> a + ", " + b).orElse("(none)");
        }
    }
}
