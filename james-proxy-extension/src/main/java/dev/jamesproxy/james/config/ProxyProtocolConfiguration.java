package dev.jamesproxy.james.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jamesproxy.protocol.Crc32cPolicy;
import dev.jamesproxy.protocol.ParserLimits;

/**
 * The {@code <proxyProtocol>} element of one proxied listener ({@code <proxiedsmtpserver>},
 * {@code <proxiedimapserver>}, ...), parsed and validated into an immutable value. Every error names the element and says how to fix it.
 *
 * <pre>{@code
 * <proxyProtocol>
 *   <timeout>3s</timeout>                        required, > 0, a James duration (default unit: seconds)
 *   <trustedProxies>10.0.0.0/8</trustedProxies>  required: who may send a header
 *   <direct>127.0.0.1</direct>                   optional: who connects without a header
 *   <crc32c>verify</crc32c>                      verify (default) | require | ignore
 *   <maxHeaderBytes>4096</maxHeaderBytes>        largest v2 header, 16-65551
 *   <maxTlvs>128</maxTlvs>                       most TLVs in one header
 *   <connectionLimitPerClient>0</connectionLimitPerClient>  per client address, 0 = unlimited
 *   <receivedComment>true</receivedComment>      note the proxy hop in the Received: header
 *   <mailAttributes>true</mailAttributes>        copy the proxy facts to Mail attributes
 *   <reverseDns>true</reverseDns>                look the client's name up through James's DNSService while the
 *                                                connection is held, instead of on James's I/O threads
 *   <shutdownGrace>5s</shutdownGrace>            when James stops: how long a session in a transaction may take to
 *                                                finish it before it is cut with the protocol's closing line (0 or more)
 *   <hook class="dev.jamesproxy.hooks.AcceptValidHeaders"/>   repeated, in order
 * </proxyProtocol>
 * }</pre>
 */
public final class ProxyProtocolConfiguration {
    public static final String ELEMENT = "proxyProtocol";
    public static final Duration RECOMMENDED_MINIMUM_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Half of {@code docker stop}'s 10 s: time for a mail in progress to finish, and the other half for the rest of
     * James's stop (its own listeners, the mail queue, the mailbox) before the container is killed.
     */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyProtocolConfiguration.class);
    private static final Set<String> KNOWN_ELEMENTS = Set.of("timeout", "trustedProxies", "direct", "crc32c",
        "maxHeaderBytes", "maxTlvs", "connectionLimitPerClient", "receivedComment", "mailAttributes", "reverseDns",
        "shutdownGrace", "hook");

    private final Duration timeout;
    private final TrustedNetworks trustedProxies;
    private final TrustedNetworks direct;
    private final ParserLimits parserLimits;
    private final int connectionLimitPerClient;
    private final boolean receivedComment;
    private final boolean mailAttributes;
    private final boolean reverseDns;
    private final Duration shutdownGrace;
    private final List<HookDefinition> hooks;

    private ProxyProtocolConfiguration(Duration timeout, TrustedNetworks trustedProxies, TrustedNetworks direct,
                                       ParserLimits parserLimits, int connectionLimitPerClient,
                                       boolean receivedComment, boolean mailAttributes, boolean reverseDns,
                                       Duration shutdownGrace, List<HookDefinition> hooks) {
        this.timeout = timeout;
        this.trustedProxies = trustedProxies;
        this.direct = direct;
        this.parserLimits = parserLimits;
        this.connectionLimitPerClient = connectionLimitPerClient;
        this.receivedComment = receivedComment;
        this.mailAttributes = mailAttributes;
        this.reverseDns = reverseDns;
        this.shutdownGrace = shutdownGrace;
        this.hooks = List.copyOf(hooks);
    }

    /** One {@code <hook class="...">} element: the class name and the element itself. */
    public static final class HookDefinition {
        private final String className;
        private final HierarchicalConfiguration<ImmutableNode> element;

        public HookDefinition(String className, HierarchicalConfiguration<ImmutableNode> element) {
            this.className = className;
            this.element = element;
        }

        public String className() {
            return className;
        }

        public HierarchicalConfiguration<ImmutableNode> element() {
            return element;
        }
    }

    /**
     * Reads the {@code <proxyProtocol>} child of a proxied listener's element.
     *
     * @param listenerElement the listener's element name, e.g. {@code proxiedsmtpserver}, used in error messages
     * @param listener the listener's jmxName, used in error messages
     */
    public static ProxyProtocolConfiguration parse(String listenerElement, String listener,
                                                   HierarchicalConfiguration<ImmutableNode> server)
            throws ConfigurationException {
        String where = "<" + listenerElement + "> '" + listener + "': <" + ELEMENT + ">";
        List<HierarchicalConfiguration<ImmutableNode>> elements = server.configurationsAt(ELEMENT);
        if (elements.isEmpty()) {
            throw new ConfigurationException(where + " is missing. Add it with at least <timeout>3s</timeout>,"
                + " <trustedProxies>your proxies' CIDRs</trustedProxies> and a <hook class=\"...\"/>.");
        }
        if (elements.size() > 1) {
            throw new ConfigurationException(where + " appears " + elements.size() + " times. Keep exactly one.");
        }
        HierarchicalConfiguration<ImmutableNode> config = elements.get(0);
        rejectUnknownElements(where, config);

        Duration timeout = ConfigurationValues.timeout(where, config.getString("timeout", null));
        TrustedNetworks trusted = ConfigurationValues.networks(where, "trustedProxies", config.getString("trustedProxies", null), true);
        TrustedNetworks direct = ConfigurationValues.networks(where, "direct", config.getString("direct", null), false);
        Optional<List<Cidr>> overlap = trusted.firstOverlap(direct);
        if (overlap.isPresent()) {
            throw new ConfigurationException(where + "<direct> entry " + overlap.get().get(1) + " overlaps <trustedProxies> entry "
                + overlap.get().get(0) + ": a peer must either send a header or not. Remove the address from one of them.");
        }
        if (trusted.containsEverything()) {
            LOGGER.warn("{}<trustedProxies> {} lets any host on the internet claim any client address;"
                + " list only your proxies' addresses", where, trusted);
        }
        ParserLimits limits = parseLimits(where, config);
        int perClient = ConfigurationValues.nonNegativeInt(where, "connectionLimitPerClient", config.getString("connectionLimitPerClient", "0"));
        boolean receivedComment = ConfigurationValues.bool(where, "receivedComment", config.getString("receivedComment", "true"));
        boolean mailAttributes = ConfigurationValues.bool(where, "mailAttributes", config.getString("mailAttributes", "true"));
        boolean reverseDns = ConfigurationValues.bool(where, "reverseDns", config.getString("reverseDns", "true"));
        Duration shutdownGrace = ConfigurationValues.nonNegativeDuration(where, "shutdownGrace",
            config.getString("shutdownGrace", DEFAULT_SHUTDOWN_GRACE.toMillis() + "ms"),
            "how long a session in a transaction may take to finish it when James stops");
        List<HookDefinition> hooks = parseHooks(where, config);
        return new ProxyProtocolConfiguration(timeout, trusted, direct, limits, perClient, receivedComment, mailAttributes,
            reverseDns, shutdownGrace, hooks);
    }

    private static void rejectUnknownElements(String where, HierarchicalConfiguration<ImmutableNode> config)
            throws ConfigurationException {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> keys = config.getKeys(); keys.hasNext();) {
            String name = keys.next().split("[.\\[]", 2)[0];
            if (!name.isEmpty() && !KNOWN_ELEMENTS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(where + " has unknown element(s) " + unknown + ". Known elements: "
                + new TreeSet<>(KNOWN_ELEMENTS) + " (check the spelling and the case).");
        }
    }


    private static ParserLimits parseLimits(String where, HierarchicalConfiguration<ImmutableNode> config)
            throws ConfigurationException {
        String crcValue = config.getString("crc32c", "verify");
        Crc32cPolicy crc = Crc32cPolicy.fromConfig(crcValue)
            .orElseThrow(() -> new ConfigurationException(where + "<crc32c> '" + crcValue
                + "' is not a policy. Use verify (the default), require or ignore."));
        int maxHeaderBytes = ConfigurationValues.nonNegativeInt(where, "maxHeaderBytes",
            config.getString("maxHeaderBytes", String.valueOf(ParserLimits.DEFAULT_MAX_HEADER_BYTES)));
        int maxTlvs = ConfigurationValues.nonNegativeInt(where, "maxTlvs", config.getString("maxTlvs", String.valueOf(ParserLimits.DEFAULT_MAX_TLVS)));
        try {
            return ParserLimits.builder().maxHeaderBytes(maxHeaderBytes).maxTlvs(maxTlvs).crc32cPolicy(crc).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage(), e);
        }
    }


    private static List<HookDefinition> parseHooks(String where, HierarchicalConfiguration<ImmutableNode> config)
            throws ConfigurationException {
        List<HookDefinition> hooks = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> hook : config.configurationsAt("hook")) {
            String className = hook.getString("[@class]", null);
            if (className == null || className.isBlank()) {
                throw new ConfigurationException(where + "<hook> has no class attribute."
                    + " Write e.g. <hook class=\"dev.jamesproxy.hooks.AcceptValidHeaders\"/>.");
            }
            hooks.add(new HookDefinition(className.trim(), hook));
        }
        return hooks;
    }

    public Duration timeout() {
        return timeout;
    }

    public TrustedNetworks trustedProxies() {
        return trustedProxies;
    }

    public TrustedNetworks direct() {
        return direct;
    }

    /** The parser limits: maxHeaderBytes, maxTlvs and the CRC32C policy. */
    public ParserLimits parserLimits() {
        return parserLimits;
    }

    /** 0 means no limit. */
    public int connectionLimitPerClient() {
        return connectionLimitPerClient;
    }

    public boolean receivedComment() {
        return receivedComment;
    }

    public boolean mailAttributes() {
        return mailAttributes;
    }

    /** Whether the client's PTR name is looked up (through James's DNSService) before the connection is admitted. */
    public boolean reverseDns() {
        return reverseDns;
    }

    /** {@code <shutdownGrace>}: how long a session in a transaction may take to finish it when James stops. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public List<HookDefinition> hooks() {
        return hooks;
    }
}
