package dev.jamesproxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code conf/haproxy*.cfg} through the real HAProxy's configuration check ({@code haproxy -c}: parses the
 * files, resolves the addresses, loads the certificates, binds nothing), alone and combined as the {@code haproxy}
 * service of each compose file combines them. The environment variables are set to loopback values; HAProxy gets no
 * other environment. The two-node files are run by no other test, and the compose stacks by none at all (no Docker
 * engine here): this is what keeps them loadable. A missing {@code haproxy} fails the test in CI, skips it elsewhere.
 */
@Timeout(120)
class HaproxyConfigurationsTest {
    private static final Path ROOT = InteropJames.CONF.getParent();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    /** {@code - ./conf/haproxy….cfg:<path in the container>:ro} in a compose file. */
    private static final Pattern MOUNT = Pattern.compile("-\\s+\\./(conf/haproxy[^:\\s]*\\.cfg):([^:\\s]+):ro");
    /** The {@code -f <file>} arguments of a compose {@code command:} in exec form. */
    private static final Pattern COMMAND_FILE = Pattern.compile("\"-f\",\\s*\"([^\"]+)\"");
    /** The {@code haproxy} service of a compose file, up to the next service or top-level key. */
    private static final Pattern HAPROXY_SERVICE = Pattern.compile("(?ms)^  haproxy:$(.*?)(?=^\\S|^  \\S|\\z)");
    private static final Pattern ENVIRONMENT_KEY = Pattern.compile("(?m)^      ([A-Z][A-Z0-9_]*):");
    /** What the official image runs when the compose file gives no command. */
    private static final String IMAGE_CONFIGURATION = "/usr/local/etc/haproxy/haproxy.cfg";

    @TempDir
    Path work;

    static Stream<Path> configurations() throws IOException {
        try (Stream<Path> files = Files.list(InteropJames.CONF)) {
            return files.filter(file -> file.getFileName().toString().matches("haproxy.*\\.cfg")).sorted()
                .collect(Collectors.toList()).stream();
        }
    }

    @Test
    void theOneAndTwoNodeFilesShouldAllBeChecked() throws IOException {
        assertThat(configurations().map(file -> file.getFileName().toString())).contains("haproxy.cfg",
            "haproxy-imap.cfg", "haproxy-pop3.cfg", "haproxy-two-nodes.cfg", "haproxy-imap-two-nodes.cfg",
            "haproxy-pop3-two-nodes.cfg");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void eachFileAloneShouldPassHaproxysCheckAndDocumentItsVariables(Path file) throws Exception {
        String text = Files.readString(file);
        String header = text.lines().takeWhile(line -> line.startsWith("#")).collect(Collectors.joining("\n"));
        for (String variable : variables(text)) {
            assertThat(header).as("%s uses ${%s}: its header comment should say what it is", file.getFileName(), variable)
                .containsPattern("\\b" + variable + "\\b");
        }
        check(List.of(file), variables(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.distributed.yml"})
    void composeFilesShouldRunFilesHaproxyAcceptsWithEveryVariableSet(String composeFile) throws Exception {
        String compose = Files.readString(ROOT.resolve(composeFile));
        Matcher service = HAPROXY_SERVICE.matcher(compose);
        assertThat(service.find()).as("%s has a haproxy service", composeFile).isTrue();
        String haproxy = service.group(1);

        Map<String, Path> mounted = new LinkedHashMap<>();
        for (Matcher mount = MOUNT.matcher(haproxy); mount.find(); ) {
            mounted.put(mount.group(2), ROOT.resolve(mount.group(1)));
        }
        List<String> loaded = new ArrayList<>();
        for (Matcher argument = COMMAND_FILE.matcher(haproxy); argument.find(); ) {
            loaded.add(argument.group(1));
        }
        if (loaded.isEmpty()) {
            loaded.add(IMAGE_CONFIGURATION);
        }
        assertThat(mounted).as("%s: the files HAProxy loads are mounted from conf/", composeFile).containsKeys(
            loaded.toArray(String[]::new));
        List<Path> files = loaded.stream().map(mounted::get).collect(Collectors.toList());

        Set<String> variables = new TreeSet<>();
        for (Path file : files) {
            variables.addAll(variables(Files.readString(file)));
        }
        Set<String> environment = new TreeSet<>();
        for (Matcher key = ENVIRONMENT_KEY.matcher(haproxy); key.find(); ) {
            environment.add(key.group(1));
        }
        assertThat(environment).as("%s: the haproxy service's environment, for %s", composeFile, files)
            .containsAll(variables);
        check(files, variables);
    }

    /** {@code haproxy -c -f file…} with a loopback value for each variable and nothing else in its environment. */
    private void check(List<Path> files, Set<String> variables) throws Exception {
        String binary = Binaries.require("haproxy", "haproxy").toString();
        List<String> command = new ArrayList<>(List.of(binary, "-c"));
        for (Path file : files) {
            command.add("-f");
            command.add(file.toString());
        }
        Map<String, String> environment = loopbackValues(variables);
        Path output = Files.createTempFile(work, "haproxy-c", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish within 30 s:\n" + read(output));
        }
        assertThat(process.exitValue()).as("%s\nwith %s\nexited with HAProxy's output:\n%s", String.join(" ", command),
            environment, read(output)).isZero();
    }

    private static Set<String> variables(String configuration) {
        Set<String> variables = new TreeSet<>();
        for (Matcher variable = VARIABLE.matcher(configuration); variable.find(); ) {
            variables.add(variable.group(1));
        }
        return variables;
    }

    /** Loopback addresses and distinct ports (nothing is bound: {@code -c} only checks), the demo's TLS files. */
    private static Map<String, String> loopbackValues(Set<String> variables) {
        Map<String, String> values = new TreeMap<>();
        int port = 20000;
        for (String variable : variables) {
            port++;
            if (variable.endsWith("_BIND")) {
                values.put(variable, "127.0.0.1:" + port);
            } else if (variable.endsWith("_HOST")) {
                values.put(variable, "127.0.0.1");
            } else if (variable.endsWith("_PORT")) {
                values.put(variable, String.valueOf(port));
            } else if (variable.equals("TLS_PEM")) {
                values.put(variable, InteropJames.TLS.resolve("haproxy.pem").toString());
            } else if (variable.equals("CLIENT_CA")) {
                values.put(variable, InteropJames.TLS.resolve("ca.crt").toString());
            } else {
                throw new AssertionError("${" + variable + "}: give it a loopback value in HaproxyConfigurationsTest");
            }
        }
        return values;
    }

    private static String read(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
