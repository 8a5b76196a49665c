package dev.jamesproxy.james.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;

import com.google.inject.multibindings.Multibinder;

import dev.jamesproxy.dns.testing.NameErrorDnsServer;

/**
 * A real James memory server in a temporary working directory: {@code conf/} is filled from the test
 * resources {@code james-conf/}, plus the given {@code smtpserver.xml} (and any other file a test gives, e.g. its own
 * {@code imapserver.xml}) and an {@code extensions.properties} naming the startable of every protocol. Optionally a
 * jar is put in {@code extensions-jars/}.
 */
public final class JamesHarness implements AutoCloseable {
    public static final String DOMAIN = "example.test";
    public static final String USER = "bob@example.test";
    private static final List<String> CONF_FILES = List.of("dnsservice.xml", "domainlist.xml", "imapserver.xml",
        "keystore", "listeners.xml", "lmtpserver.xml", "mailetcontainer.xml", "mailrepositorystore.xml",
        "managesieveserver.xml", "pop3server.xml", "usersrepository.xml");
    private static final String EXTENSIONS = "guice.extension.startable=dev.jamesproxy.james.ProxiedServers\n";
    /** An {@code smtpserver.xml} without any listener, for tests of other protocols. */
    public static final String NO_SMTP = "<?xml version=\"1.0\"?>\n<smtpservers>\n</smtpservers>\n";

    private final Path workingDirectory;
    private final GuiceJamesServer server;

    private JamesHarness(Path workingDirectory, GuiceJamesServer server) {
        this.workingDirectory = workingDirectory;
        this.server = server;
    }

    /** Boots James with the extension on the classpath. */
    public static JamesHarness start(String smtpserverXml) throws Exception {
        return start(smtpserverXml, null);
    }

    /**
     * Boots James without SMTP listeners and with some {@code conf/} files of the test's own: file name to content,
     * e.g. {@code imapserver.xml} or {@code managesieveserver.xml}.
     */
    public static JamesHarness startWith(Map<String, String> confFiles) throws Exception {
        return start(confFiles.getOrDefault("smtpserver.xml", NO_SMTP), null, confFiles);
    }

    /**
     * Boots James; with {@code extensionJar}, that file is copied to {@code extensions-jars/}.
     * A startup failure stops what was started and is rethrown.
     */
    public static JamesHarness start(String smtpserverXml, Path extensionJar) throws Exception {
        return start(smtpserverXml, extensionJar, Map.of());
    }

    /**
     * Boots James as {@link #start(String, Path)} does, with some {@code conf/} files replaced: file name to
     * content, e.g. a {@code mailetcontainer.xml} of its own.
     */
    public static JamesHarness start(String smtpserverXml, Path extensionJar, Map<String, String> confFiles)
        throws Exception {
        System.setProperty("james.exit.on.startup.error", "false");
        NameErrorDnsServer.ensureStarted();
        Path directory = Files.createTempDirectory("james-proxy-it");
        Path conf = Files.createDirectories(directory.resolve("conf"));
        for (String name : CONF_FILES) {
            try (InputStream resource = JamesHarness.class.getResourceAsStream("/james-conf/" + name)) {
                if (resource == null) {
                    throw new IllegalStateException("missing test resource james-conf/" + name);
                }
                Files.copy(resource, conf.resolve(name));
            }
        }
        Files.writeString(conf.resolve("smtpserver.xml"), smtpserverXml, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> file : confFiles.entrySet()) {
            Files.writeString(conf.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        Files.writeString(conf.resolve("extensions.properties"), EXTENSIONS, StandardCharsets.UTF_8);
        if (extensionJar != null) {
            Path jars = Files.createDirectories(directory.resolve("extensions-jars"));
            Files.copy(extensionJar, jars.resolve(extensionJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder()
            .workingDirectory(directory.toFile())
            .build();
        GuiceJamesServer server = MemoryJamesServerMain.createServer(configuration)
            .combineWith(binder -> Multibinder.newSetBinder(binder, GuiceProbe.class).addBinding().to(TestProbe.class));
        try {
            server.start();
        } catch (Throwable e) {
            server.stop();
            deleteQuietly(directory);
            throw e;
        }
        JamesHarness harness = new JamesHarness(directory, server);
        DataProbeImpl data = server.getProbe(DataProbeImpl.class);
        if (!data.containsDomain(DOMAIN)) {
            data.addDomain(DOMAIN);
        }
        data.addUser(USER, "secret");
        return harness;
    }

    /**
     * {@code conf/} files for {@link #start(String, Path, Map)}: delivery into mailboxes without the copy of each
     * mail in {@code memory://var/mail/received/} that {@link TestProbe#receivedMail} reads.
     */
    public static Map<String, String> deliveryOnly() throws IOException {
        String name = "mailetcontainer-delivery-only.xml";
        try (InputStream resource = JamesHarness.class.getResourceAsStream("/james-conf/" + name)) {
            if (resource == null) {
                throw new IllegalStateException("missing test resource james-conf/" + name);
            }
            return Map.of("mailetcontainer.xml", new String(resource.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public GuiceJamesServer server() {
        return server;
    }

    public TestProbe probe() {
        return server.getProbe(TestProbe.class);
    }

    /** The port a listener bound, read from its JMX bean {@code org.apache.james:type=server,name=<jmxName>}. */
    public static int port(String jmxName) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        String[] bound = (String[]) mbeans.getAttribute(new ObjectName("org.apache.james:type=server,name=" + jmxName),
            "BoundAddresses");
        String first = bound[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    @Override
    public void close() {
        server.stop();
        deleteQuietly(workingDirectory);
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException expected) {
            // a leftover temporary directory is harmless
        }
    }
}
