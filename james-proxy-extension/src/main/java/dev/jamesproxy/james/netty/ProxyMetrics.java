package dev.jamesproxy.james.netty;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;

import dev.jamesproxy.james.ListenerInfo;

/**
 * The extension's metrics, all under {@code proxyProtocol.} so that they never merge with James's own protocol
 * metrics ({@code smtpConnections}, {@code imapConnections}, ...). Each event is counted twice: under the name
 * below, summed over every proxied listener, and under the same name with the protocol after the prefix
 * ({@code proxyProtocol.imap.accepted}), so that a dashboard can split by protocol. One instance per protocol.
 */
public final class ProxyMetrics {
    /** Connections whose header the hooks accepted. */
    public static final String ACCEPTED = "proxyProtocol.accepted";
    /** Accepted connections that keep the proxy's address: LOCAL, v1 UNKNOWN, UNSPEC or UNIX headers. */
    public static final String ACCEPTED_WITHOUT_CLIENT = "proxyProtocol.accepted.withoutClientAddress";
    /** Connections from {@code direct} peers, admitted without a header. */
    public static final String DIRECT = "proxyProtocol.direct";
    /** Every rejection; each is also counted under {@code proxyProtocol.rejected.<kind>}. */
    public static final String REJECTED = "proxyProtocol.rejected";
    /** Prefix of the per-parse-reason counters, e.g. {@code proxyProtocol.rejected.parse.v1-bad-port}. */
    public static final String REJECTED_PARSE_PREFIX = "proxyProtocol.rejected.parse.";
    /** Trusted peers that closed (or reset) the connection before a whole header arrived, or while hooks ran. */
    public static final String ABANDONED = "proxyProtocol.abandoned";
    /** Time from the TCP accept to the end of header processing (accepted or rejected). */
    public static final String HEADER_LATENCY = "proxyProtocol.headerLatency";

    private static final String PREFIX = "proxyProtocol.";

    private final MetricFactory metricFactory;
    private final String protocolPrefix;
    private final Map<String, Metric[]> counters = new ConcurrentHashMap<>();

    public ProxyMetrics(MetricFactory metricFactory, ListenerInfo.Protocol protocol) {
        this.metricFactory = metricFactory;
        this.protocolPrefix = PREFIX + protocol.name().toLowerCase(Locale.ROOT) + ".";
    }

    /** The counter name of a rejection kind, e.g. {@code proxyProtocol.rejected.untrusted}. */
    static String rejectedName(Rejection.Kind kind) {
        return REJECTED + "." + kind.tag();
    }

    /** Starts the header latency timer of one connection. */
    TimeMetric startHeaderTimer() {
        return metricFactory.timer(HEADER_LATENCY);
    }

    void accepted(boolean hasClientAddress) {
        increment(ACCEPTED);
        if (!hasClientAddress) {
            increment(ACCEPTED_WITHOUT_CLIENT);
        }
    }

    void direct() {
        increment(DIRECT);
    }

    void abandoned() {
        increment(ABANDONED);
    }

    void rejected(Rejection rejection) {
        increment(REJECTED);
        increment(rejectedName(rejection.kind()));
        rejection.parseReason().ifPresent(reason -> increment(REJECTED_PARSE_PREFIX + reason.tag()));
    }

    private void increment(String name) {
        for (Metric metric : counters.computeIfAbsent(name, this::both)) {
            metric.increment();
        }
    }

    private Metric[] both(String name) {
        return new Metric[] {
            metricFactory.generate(name),
            metricFactory.generate(protocolPrefix + name.substring(PREFIX.length()))
        };
    }
}
