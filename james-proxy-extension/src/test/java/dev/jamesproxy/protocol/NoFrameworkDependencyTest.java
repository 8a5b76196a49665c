package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The package boundaries, read from the sources: the parser and the command line import nothing from James, Netty,
 * Guice or a logger; {@code james.config} nothing from Netty or any protocol; the core ({@code james.netty}) nothing
 * from any one protocol, so that every protocol plugs into it the same way.
 */
class NoFrameworkDependencyTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
        "^\\s*import\\s+(static\\s+)?(org\\.apache\\.james|io\\.netty|com\\.google|javax\\.inject|org\\.slf4j)\\.",
        Pattern.MULTILINE);

    @Test
    void protocolAndCliPackagesShouldImportOnlyTheJdk() throws IOException {
        Path root = Paths.get("src/main/java/dev/jamesproxy");
        List<Path> sources;
        try (Stream<Path> files = Stream.concat(Files.walk(root.resolve("protocol")), Files.walk(root.resolve("cli")))) {
            sources = files.filter(path -> path.toString().endsWith(".java")).collect(Collectors.toList());
        }

        assertThat(sources).hasSizeGreaterThan(20);
        for (Path source : sources) {
            String text = new String(Files.readAllBytes(source), StandardCharsets.UTF_8);
            assertThat(FORBIDDEN.matcher(text).find()).as(source.toString()).isFalse();
            assertThat(text).as(source.toString()).doesNotContain("org.apache.james.").doesNotContain("io.netty.");
        }
    }

    /** Imports that tie code to one James protocol. */
    private static final Pattern PROTOCOL_SPECIFIC = Pattern.compile("^\\s*import\\s+(static\\s+)?org\\.apache\\.james\\."
        + "(protocols\\.(smtp|lmtp|pop3|imap)|smtpserver|lmtpserver|pop3server|imapserver|imap|managesieve|managesieveserver)\\.",
        Pattern.MULTILINE);
    private static final Pattern OUR_PROTOCOL_PACKAGES = Pattern.compile(
        "^\\s*import\\s+(static\\s+)?dev\\.jamesproxy\\.james\\.(smtp|lmtp|pop3|imap|managesieve)\\.", Pattern.MULTILINE);
    private static final Pattern NETTY = Pattern.compile("^\\s*import\\s+(static\\s+)?io\\.netty\\.", Pattern.MULTILINE);

    @Test
    void theCoreShouldImportNothingOfAnyOneProtocol() throws IOException {
        List<Path> sources = sources("james/netty");

        assertThat(sources).hasSizeGreaterThan(10);
        for (Path source : sources) {
            String text = new String(Files.readAllBytes(source), StandardCharsets.UTF_8);
            assertThat(PROTOCOL_SPECIFIC.matcher(text).find()).as(source.toString()).isFalse();
            assertThat(OUR_PROTOCOL_PACKAGES.matcher(text).find()).as(source.toString()).isFalse();
        }
    }

    @Test
    void theConfigurationShouldImportNeitherNettyNorAnyProtocol() throws IOException {
        List<Path> sources = sources("james/config");

        assertThat(sources).hasSizeGreaterThanOrEqualTo(4);
        for (Path source : sources) {
            String text = new String(Files.readAllBytes(source), StandardCharsets.UTF_8);
            assertThat(PROTOCOL_SPECIFIC.matcher(text).find()).as(source.toString()).isFalse();
            assertThat(OUR_PROTOCOL_PACKAGES.matcher(text).find()).as(source.toString()).isFalse();
            assertThat(NETTY.matcher(text).find()).as(source.toString()).isFalse();
        }
    }

    private static List<Path> sources(String packagePath) throws IOException {
        try (Stream<Path> files = Files.walk(Paths.get("src/main/java/dev/jamesproxy").resolve(packagePath))) {
            return files.filter(path -> path.toString().endsWith(".java")).collect(Collectors.toList());
        }
    }
}
