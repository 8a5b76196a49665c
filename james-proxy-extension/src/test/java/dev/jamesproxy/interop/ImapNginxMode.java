package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nginx's stream module with {@code proxy_protocol on} (a v1 header) in front of James's port-143 IMAP listener of
 * {@code conf/imapserver.xml}; curl logs in after STARTTLS, which stays between the client and James.
 */
abstract class ImapNginxMode extends ImapMode {
    private int listenPort;

    @BeforeAll
    void startNginx() throws Exception {
        String binary = Binaries.require("nginx", "nginx").toString();
        if (!Files.exists(Path.of(NginxStreamMode.STREAM_MODULE))) {
            Binaries.require("ngx_stream_module.so", "libnginx-mod-stream");
        }
        Binaries.require("curl", "curl");
        listenPort = FreePorts.on("127.0.0.1");
        String configuration = String.join("\n",
            "load_module " + NginxStreamMode.STREAM_MODULE + ";",
            "pid " + directory.resolve("nginx.pid") + ";",
            "error_log " + directory.resolve("error.log") + " info;",
            "worker_processes 1;",
            "events { worker_connections 64; }",
            "stream {",
            "    server {",
            "        listen 127.0.0.1:" + listenPort + ";",
            "        proxy_pass 127.0.0.1:" + james().imap + ";",
            "        proxy_protocol on;",
            "        proxy_timeout 60s;",
            "    }",
            "}",
            "");
        Path conf = directory.resolve("nginx.conf");
        Files.writeString(conf, configuration, StandardCharsets.UTF_8);
        start("nginx-imap", List.of(binary, "-p", directory.toString(), "-c", conf.toString(),
            "-e", directory.resolve("error.log").toString(), "-g", "daemon off;"), Map.of())
            .awaitListening(listenPort, Duration.ofSeconds(15));
    }

    @Test
    void nginxStreamProxyProtocolShouldGiveJamesTheImapClient() throws Exception {
        Map<String, String> mdc = selectInboxThrough("imap://127.0.0.1:" + listenPort + "/", "--ssl-reqd");

        assertThat(mdc).containsEntry("proxy.destination", "/127.0.0.1:" + listenPort);
    }
}
