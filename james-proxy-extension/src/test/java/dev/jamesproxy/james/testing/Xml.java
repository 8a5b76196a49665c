package dev.jamesproxy.james.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.FileConfigurationProvider;

/** Reads XML the way James reads its configuration files. */
public final class Xml {
    private Xml() {
    }

    public static HierarchicalConfiguration<ImmutableNode> parse(String xml) {
        try {
            return FileConfigurationProvider.getConfig(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException(xml, e);
        }
    }
}
