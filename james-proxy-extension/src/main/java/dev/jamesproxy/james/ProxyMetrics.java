package dev.jamesproxy.james;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;

import dev.jamesproxy.protocol.ParseError;

/**
 * The extension's metrics, all under {@code proxyProtocol.} so that they never merge with James's
 * own SMTP metrics ({@code smtpConnections}, {@code smtpCommands}). Shared by every proxied listener.
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
    /** Trusted peers that closed (or reset) the connection before a whole header arrived. */
    public static final String ABANDONED = "proxyProtocol.abandoned";
    /** Time from the TCP accept to the end of header processing (accepted or rejected). */
    public static final String HEADER_LATENCY = "proxyProtocol.headerLatency";

    private final MetricFactory metricFactory;
    private final Map<String, Metric> counters = new ConcurrentHashMap<>();

    public ProxyMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
    }

    /** The counter name of a rejection kind, e.g. {@code proxyProtocol.rejected.untrusted}. */
    public static String rejectedName(Rejection.Kind kind) {
        return REJECTED + "." + kind.tag();
    }

    /** A stable tag for a parse reason: {@code V1_BAD_PORT} becomes {@code v1-bad-port}. */
    public static String tag(ParseError.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Starts the header latency timer of one connection. */
    public TimeMetric startHeaderTimer() {
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
        rejection.parseReason().ifPresent(reason -> increment(REJECTED_PARSE_PREFIX + tag(reason)));
    }

    private void increment(String name) {
        counters.computeIfAbsent(name, metricFactory::generate).increment();
    }
}
