package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One James 3.8.1 memory server in a JVM of its own, as an operator runs it: the memory application's classpath (the
 * tests' James dependencies, without the extension's classes or the tests' own), the packaged jar in
 * {@code extensions-jars/} only, and the repository's {@code conf/smtpserver.xml} with only its addresses changed:
 * the four proxied listeners on this node's own loopback address ({@code 127.0.0.21}, {@code 127.0.0.22}, as the two
 * nodes of {@code docker-compose.distributed.yml} have their own addresses and the same ports), HAProxy's address
 * {@code 127.0.0.1} as the trusted proxy, and the node's name as {@code helloName} (each EHLO reply says which node
 * answered). Its working directory outlives restarts. Every mail the mailet container receives is also stored in the
 * file repository {@code file://var/mail/delivered/} (files on disk, so they survive a restart and a kill -9, unlike the
 * memory application's mailboxes), where {@link #storedSubjects()} counts them.
 */
final class JamesNode implements AutoCloseable {
    static final String DOMAIN = "example.test";
    static final String USER = "bob@example.test";
    private static final Path CONF = Paths.get("..", "conf").toAbsolutePath().normalize();
    private static final List<String> CONF_FILES = List.of("dnsservice.xml", "domainlist.xml", "imapserver.xml",
        "listeners.xml", "lmtpserver.xml", "managesieveserver.xml", "pop3server.xml", "usersrepository.xml");
    private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: (\\S+)\\r?$");
    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");

    /** The listeners' ports, the same on every node (each node has its own address). */
    static final class Ports {
        final int smtp;
        final int smtps;
        final int submission;
        final int terminated;
        final int webadmin;

        Ports(List<String> addresses) {
            this.smtp = freeOnAll(addresses);
            this.smtps = freeOnAll(addresses);
            this.submission = freeOnAll(addresses);
            this.terminated = freeOnAll(addresses);
            this.webadmin = freeOnAll(addresses);
        }

        private static int freeOnAll(List<String> addresses) {
            for (int attempt = 0; attempt < 50; attempt++) {
                int port = FreePorts.on(addresses.get(0));
                if (addresses.stream().allMatch(address -> isFree(address, port))) {
                    return port;
                }
            }
            throw new IllegalStateException("no port free on all of " + addresses);
        }

        private static boolean isFree(String address, int port) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(address, port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    final String name;
    final String address;
    final Ports ports;
    final Path directory;
    private final Path log;
    private Process process;

    private JamesNode(String name, String address, Ports ports, Path directory) {
        this.name = name;
        this.address = address;
        this.ports = ports;
        this.directory = directory;
        this.log = directory.resolve("james.log");
    }

    /** Writes the node's working directory: {@code conf/}, {@code extensions-jars/}. */
    static JamesNode prepare(String name, String address, Ports ports, Path jar, Path parent) throws IOException {
        Path directory = Files.createDirectories(parent.resolve(name));
        Path conf = Files.createDirectories(directory.resolve("conf"));
        for (String file : CONF_FILES) {
            try (InputStream resource = JamesNode.class.getResourceAsStream("/james-conf/" + file)) {
                Files.copy(Optional.ofNullable(resource).orElseThrow(() -> new IllegalStateException("missing james-conf/" + file)),
                    conf.resolve(file));
            }
        }
        write(conf.resolve("smtpserver.xml"), smtpserverXml(name, address, ports));
        write(conf.resolve("mailetcontainer.xml"), resource("/operations/mailetcontainer.xml"));
        write(conf.resolve("mailrepositorystore.xml"), resource("/operations/mailrepositorystore.xml"));
        write(conf.resolve("logback.xml"), resource("/operations/logback.xml"));
        write(conf.resolve("extensions.properties"), Files.readString(CONF.resolve("extensions.properties")));
        write(conf.resolve("webadmin.properties"), "enabled=true\nhost=" + address + "\nport=" + ports.webadmin + "\n");
        write(conf.resolve("jmx.properties"), "jmx.enabled=false\n");
        Path jars = Files.createDirectories(directory.resolve("extensions-jars"));
        Files.copy(jar, jars.resolve(jar.getFileName()));
        return new JamesNode(name, address, ports, directory);
    }

    /** conf/smtpserver.xml with only its addresses changed, and the node's name as each listener's helloName. */
    private static String smtpserverXml(String name, String address, Ports ports) throws IOException {
        String xml = Files.readString(CONF.resolve("smtpserver.xml"), StandardCharsets.UTF_8);
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:2525</bind>", "<bind>" + address + ":" + ports.smtp + "</bind>");
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:2465</bind>", "<bind>" + address + ":" + ports.smtps + "</bind>");
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:2587</bind>", "<bind>" + address + ":" + ports.submission + "</bind>");
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:2526</bind>", "<bind>" + address + ":" + ports.terminated + "</bind>");
        xml = replace(xml, "<bind>0\\.0\\.0\\.0:25</bind>", "<bind>" + address + ":0</bind>");
        xml = replace(xml, "<trustedProxies>172\\.30\\.0\\.10</trustedProxies>", "<trustedProxies>127.0.0.1</trustedProxies>");
        xml = replace(xml, "<direct>127\\.0\\.0\\.1, ::1</direct>", "<direct>127.0.0.5</direct>");
        xml = replace(xml, "<keystore>file://conf/keystore</keystore>",
            "<keystore>file://" + CONF.resolve("tls").resolve("keystore") + "</keystore>");
        xml = replace(xml, "(<jmxName>[^<]*</jmxName>)", "$1<helloName autodetect=\"false\">" + name + ".example.test</helloName>");
        assertThat(xml.replaceAll("(?s)<!--.*?-->", ""))
            .as("conf/smtpserver.xml: an address the operations tests do not substitute")
            .doesNotContain("172.30.0.10").doesNotContain("0.0.0.0").doesNotContain("file://conf/keystore");
        return xml;
    }

    private static String replace(String xml, String regex, String replacement) {
        String replaced = xml.replaceAll(regex, replacement);
        assertThat(replaced).as("conf/smtpserver.xml should contain %s", regex).isNotEqualTo(xml);
        return replaced;
    }

    private static String resource(String name) throws IOException {
        try (InputStream resource = JamesNode.class.getResourceAsStream(name)) {
            return new String(Optional.ofNullable(resource).orElseThrow(() -> new IllegalStateException("missing " + name))
                .readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /**
     * James's classpath: this JVM's (failsafe's test classpath: James's dependencies, without the extension's classes,
     * see the pom), without the tests' own classes and resources.
     */
    private static String jamesClasspath() {
        String classpath = System.getProperty("java.class.path");
        List<String> entries = Arrays.stream(classpath.split(File.pathSeparator))
            .filter(entry -> !Paths.get(entry).getFileName().toString().equals("test-classes"))
            .collect(Collectors.toList());
        assertThat(entries).as("the James classpath").anyMatch(entry -> entry.contains("james-server-memory-app"))
            .noneMatch(entry -> entry.contains("james-proxy-extension") && entry.endsWith(".jar"));
        return String.join(File.pathSeparator, entries);
    }

    /** Launches the JVM (its output appended to {@code james.log}); {@link #awaitReady} waits for it. */
    void start() throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dworking.directory=" + directory,
            "-Dlogback.configurationFile=" + directory.resolve("conf").resolve("logback.xml"),
            "-cp", jamesClasspath(), "org.apache.james.MemoryJamesServerMain"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // James resolves each client's PTR on an I/O thread: never wait 5 s for a resolver (see the pom's surefire setup).
        builder.environment().put("RES_OPTIONS", "timeout:1 attempts:1");
        process = builder.start();
    }

    /** Waits until webadmin answers and the SMTP listener accepts, then creates the domain and the user (memory). */
    Duration awaitReady(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!(http("GET", "/healthcheck", "").code == 200 && accepts(ports.smtp))) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
            }
            Thread.sleep(200);
        }
        Duration ready = Duration.ofNanos(System.nanoTime() - start);
        assertThat(http("PUT", "/domains/" + DOMAIN, "").code).isIn(204, 409);
        assertThat(http("PUT", "/users/" + USER, "{\"password\":\"secret\"}").code).isIn(204, 409);
        return ready;
    }

    private boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, as {@code docker stop} or systemd sends it: James's shutdown hook stops it. Returns how long it took. */
    Duration stop() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM:\n" + tail());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** How many mails wait in the node's spool queue (webadmin), memory-only in this application. */
    long spoolSize() throws IOException {
        Response response = http("GET", "/mailQueues/spool", "");
        Matcher size = SIZE.matcher(response.body);
        if (response.code != 200 || !size.find()) {
            throw new IOException("GET /mailQueues/spool: " + response.code + " " + response.body);
        }
        return Long.parseLong(size.group(1));
    }

    /** The subject of every mail in {@code file://var/mail/delivered/}, with how many times it is there. */
    Map<String, Integer> storedSubjects() throws IOException {
        Map<String, Integer> subjects = new HashMap<>();
        Path delivered = directory.resolve("var").resolve("mail").resolve("delivered");
        if (!Files.isDirectory(delivered)) {
            return subjects;
        }
        try (Stream<Path> files = Files.list(delivered)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".FileStreamStore")).collect(Collectors.toList())) {
                Matcher subject = SUBJECT.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                if (subject.find()) {
                    subjects.merge(subject.group(1), 1, Integer::sum);
                }
            }
        }
        return subjects;
    }

    /** The node's log since its first start. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail() {
        String all = log();
        return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
    }

    private static final class Response {
        final int code;
        final String body;

        Response(int code, String body) {
            this.code = code;
            this.body = body;
        }
    }

    private Response http(String method, String path, String body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://" + address + ":" + ports.webadmin + path)
                .openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            if (!body.isEmpty()) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            }
            int code = connection.getResponseCode();
            InputStream stream = code < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(code, text);
        } catch (IOException e) {
            return new Response(-1, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
