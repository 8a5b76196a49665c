package dev.jamesproxy.hooks;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.util.DurationParser;

/** The parsed, validated {@code <hook class="dev.jamesproxy.hooks.DnsBlocklist">} element; immutable. */
final class DnsBlocklistConfig {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final String WHERE = "DnsBlocklist: ";
    private static final Set<String> KNOWN_ELEMENTS = Set.of("zone", "threshold", "timeout", "reply");
    /** Letters, digits, '-' and '_' (some blocklists use it), 1-63 per label, 253 in all. */
    private static final Pattern ZONE = Pattern.compile(
        "(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern POSITIVE = Pattern.compile("0*[1-9][0-9]{0,8}");

    /** One {@code <zone weight="N">name</zone>}; name lower case, without a trailing dot. */
    static final class Zone {
        final String name;
        final int weight;

        Zone(String name, int weight) {
            this.name = name;
            this.weight = weight;
        }
    }

    final List<Zone> zones;
    final int threshold;
    final Duration timeout;
    /** The configured reply; empty for the default, which names the client and the zone. */
    final Optional<HookResult> reply;

    private DnsBlocklistConfig(List<Zone> zones, int threshold, Duration timeout, Optional<HookResult> reply) {
        this.zones = List.copyOf(zones);
        this.threshold = threshold;
        this.timeout = timeout;
        this.reply = reply;
    }

    static DnsBlocklistConfig parse(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        rejectUnknownElements(config);
        List<Zone> zones = zones(config);
        int threshold = positive("<threshold>", config.getString("threshold", "1"));
        long total = zones.stream().mapToLong(zone -> zone.weight).sum();
        if (threshold > total) {
            throw new ConfigurationException(WHERE + "<threshold>" + threshold + "</threshold> can never be reached: the"
                + " weights of all zones add up to " + total + ". Lower the threshold or raise a weight.");
        }
        return new DnsBlocklistConfig(zones, threshold, timeout(config.getString("timeout", null)), reply(config));
    }

    private static List<Zone> zones(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        int count = config.getMaxIndex("zone") + 1;
        if (count == 0) {
            throw new ConfigurationException(WHERE + "add at least one <zone>, the DNS zone of a blocklist,"
                + " e.g. <zone>zen.spamhaus.org</zone> or <zone weight=\"2\">bl.example.net</zone>.");
        }
        List<Zone> zones = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String value = config.getString("zone(" + i + ")", "");
            String name = value.trim().toLowerCase(Locale.ROOT);
            name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (!ZONE.matcher(name).matches()) {
                throw new ConfigurationException(WHERE + "<zone>" + value + "</zone> is not a DNS zone name."
                    + " Give the blocklist's zone, e.g. <zone>zen.spamhaus.org</zone>.");
            }
            if (!seen.add(name)) {
                throw new ConfigurationException(WHERE + "<zone>" + name + "</zone> is listed twice; its weights would"
                    + " add up. List it once, with weight=\"N\" for more weight.");
            }
            String weight = config.getString("zone(" + i + ")[@weight]", "1");
            zones.add(new Zone(name, positive("<zone weight=\"" + weight + "\">" + name + "</zone>: weight", weight)));
        }
        return zones;
    }

    private static int positive(String what, String value) throws ConfigurationException {
        String trimmed = value.trim();
        if (!POSITIVE.matcher(trimmed).matches()) {
            throw new ConfigurationException(WHERE + what + " '" + value + "' must be a whole number of 1 or more"
                + " (default 1).");
        }
        return Integer.parseInt(trimmed);
    }

    private static Duration timeout(String value) throws ConfigurationException {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = DurationParser.parse(value.trim(), ChronoUnit.SECONDS);
        } catch (RuntimeException e) {
            throw new ConfigurationException(WHERE + "<timeout> '" + value + "' is not a duration. Use e.g. 2s or"
                + " 1500ms (a number alone means seconds).", e);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigurationException(WHERE + "<timeout> '" + value + "' must be greater than 0, e.g. 2s.");
        }
        return timeout;
    }

    /** 4xx: DENYSOFT, 5xx: DENY; the text is sent as written. */
    private static Optional<HookResult> reply(HierarchicalConfiguration<ImmutableNode> config)
            throws ConfigurationException {
        String value = config.getString("reply", null);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new ConfigurationException(WHERE + "<reply> is empty. Remove it for the default reply, or give an"
                + " SMTP line, e.g. <reply>554 5.7.1 Listed on a blocklist</reply>.");
        }
        HookReturnCode code = value.trim().startsWith("4") ? HookReturnCode.denySoft() : HookReturnCode.deny();
        try {
            return Optional.of(Replies.parse(value, code));
        } catch (ConfigurationException e) {
            throw new ConfigurationException(WHERE + e.getMessage(), e);
        }
    }

    private static void rejectUnknownElements(HierarchicalConfiguration<ImmutableNode> config)
            throws ConfigurationException {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> keys = config.getKeys(); keys.hasNext();) {
            String key = keys.next();
            String name = key.split("[.\\[]", 2)[0];
            if (!name.isEmpty() && !KNOWN_ELEMENTS.contains(name)) {
                unknown.add("<" + name + ">");
            } else if (name.equals("zone") && key.contains("[@") && !key.equals("zone[@weight]")) {
                unknown.add("<zone> attribute " + key.substring(key.indexOf("[@") + 2, key.length() - 1));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(WHERE + "unknown " + unknown + ". Known: <zone weight=\"N\">,"
                + " <threshold>, <timeout>, <reply> (check the spelling and the case).");
        }
    }
}
