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

/** The parser and the command line stand alone: they import nothing from James, Netty, Guice or a logger. */
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
}
