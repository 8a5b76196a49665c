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

import dev.jamesproxy.interop.InteropJames.Delivery;

/**
 * nginx's stream module as a TCP proxy with {@code proxy_protocol on} (it sends a v1 header), in front of James's
 * port-25 listener. The configuration is generated here; {@code conf/nginx-stream.conf} is the example for operators.
 */
abstract class NginxStreamMode extends InteropMode {
    static final String STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

    private int listenPort;

    @BeforeAll
    void startNginx() throws Exception {
        String binary = Binaries.require("nginx", "nginx").toString();
        if (!Files.exists(Path.of(STREAM_MODULE))) {
            Binaries.require(STREAM_MODULE.substring(STREAM_MODULE.lastIndexOf('/') + 1), "libnginx-mod-stream");
        }
        Binaries.require("swaks", "swaks");
        listenPort = FreePorts.on("127.0.0.1");
        String configuration = String.join("\n",
            "load_module " + STREAM_MODULE + ";",
            "pid " + directory.resolve("nginx.pid") + ";",
            "error_log " + directory.resolve("error.log") + " info;",
            "worker_processes 1;",
            "events { worker_connections 64; }",
            "stream {",
            "    server {",
            "        listen 127.0.0.1:" + listenPort + ";",
            "        proxy_pass 127.0.0.1:" + james().smtp + ";",
            "        proxy_protocol on;",
            "        proxy_timeout 60s;",
            "    }",
            "}",
            "");
        Path conf = directory.resolve("nginx.conf");
        Files.writeString(conf, configuration, StandardCharsets.UTF_8);
        start("nginx", List.of(binary, "-p", directory.toString(), "-c", conf.toString(),
            "-e", directory.resolve("error.log").toString(), "-g", "daemon off;"), Map.of())
            .awaitListening(listenPort, Duration.ofSeconds(15));
    }

    @Test
    void nginxStreamProxyProtocolShouldGiveJamesTheClient() throws Exception {
        Sent sent = send("nginx", listenPort);

        Delivery delivery = assertDeliveredFromTheClient(sent, 1);
        assertThat(delivery.attribute(MailAttributes.DESTINATION_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(delivery.attribute(MailAttributes.DESTINATION_PORT)).isEqualTo(listenPort);
        assertThat(delivery.attribute(MailAttributes.CRC32C)).isEqualTo("absent");
    }

    @Test
    void starttlsShouldWorkThroughTheStream() throws Exception {
        Binaries.requireSwaksWithTls();
        Sent sent = send("nginx-starttls", listenPort, "--tls");

        assertDeliveredFromTheClient(sent, 1);
        assertTlsWithJames(sent);
    }
}
