package dev.jamesproxy.james.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads single {@code <proxyProtocol>} values; each error names the element ({@code where}) and the fix. */
final class ConfigurationValues {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfigurationValues.class);

    private ConfigurationValues() {
    }

    static Duration timeout(String where, String value) throws ConfigurationException {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(where + "<timeout> is missing. Add e.g. <timeout>3s</timeout>:"
                + " how long a trusted proxy may take to send its header (greater than 0).");
        }
        Duration timeout;
        try {
            timeout = DurationParser.parse(value, ChronoUnit.SECONDS);
        } catch (RuntimeException e) {
            throw new ConfigurationException(where + "<timeout> '" + value + "' is not a duration."
                + " Use e.g. 3s, 500ms or 1m (a number alone means seconds).", e);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigurationException(where + "<timeout> '" + value + "' must be greater than 0, e.g. 3s:"
                + " without it a silent peer would hold a connection open.");
        }
        if (timeout.compareTo(ProxyProtocolConfiguration.RECOMMENDED_MINIMUM_TIMEOUT) < 0) {
            LOGGER.warn("{}<timeout> {} is below 3 s; the PROXY spec advises at least 3 s so that a proxy"
                + " under load is not cut off", where, value);
        }
        return timeout;
    }

    /** A duration of 0 or more, e.g. {@code <shutdownGrace>}; {@code fix} says what the element is for. */
    static Duration nonNegativeDuration(String where, String element, String value, String fix)
            throws ConfigurationException {
        Duration duration;
        try {
            duration = DurationParser.parse(value.trim(), ChronoUnit.SECONDS);
        } catch (RuntimeException e) {
            throw new ConfigurationException(where + "<" + element + "> '" + value + "' is not a duration."
                + " Use e.g. 5s, 500ms or 1m (a number alone means seconds; 0 for none): " + fix + ".", e);
        }
        if (duration.isNegative()) {
            throw new ConfigurationException(where + "<" + element + "> '" + value + "' must be 0 or more: " + fix + ".");
        }
        return duration;
    }

    static TrustedNetworks networks(String where, String element, String value, boolean required)
            throws ConfigurationException {
        if (value == null || value.isBlank() || value.replaceAll("[,\\s]", "").isEmpty()) {
            if (required) {
                throw new ConfigurationException(where + "<" + element + "> is missing. List the CIDRs of the proxies"
                    + " that may send a PROXY header, e.g. <" + element + ">10.0.0.0/8, fd00::/8</" + element + ">.");
            }
            return TrustedNetworks.none();
        }
        try {
            return TrustedNetworks.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + "<" + element + ">: " + e.getMessage(), e);
        }
    }

    static int nonNegativeInt(String where, String element, String value) throws ConfigurationException {
        if (value.trim().matches("[0-9]{1,9}")) {
            return Integer.parseInt(value.trim());
        }
        throw new ConfigurationException(where + "<" + element + "> '" + value + "' must be a whole number, 0 or more.");
    }

    static boolean bool(String where, String element, String value) throws ConfigurationException {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        throw new ConfigurationException(where + "<" + element + "> '" + value + "' must be true or false.");
    }
}
