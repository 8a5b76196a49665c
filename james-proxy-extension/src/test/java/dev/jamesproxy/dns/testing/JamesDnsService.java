package dev.jamesproxy.dns.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.server.core.configuration.FileConfigurationProvider;

/**
 * James's own resolver, {@code DNSJavaService} (dnsjava), pointed at a {@link LoopbackDnsServer}.
 *
 * <p>James 3.8.1's {@code dnsservice.xml} has no timeout setting: dnsjava's {@code ExtendedResolver} gives up on a
 * silent server after 10 s per name tried, and {@code getByName} then throws {@code UnknownHostException}, as for an
 * unknown name. An absolute name ({@code 2.0.0.127.bl.test.}) is tried once; a relative one twice (James's empty
 * search path), so 20 s. Callers that must answer sooner bound the call themselves.
 */
public final class JamesDnsService {
    private JamesDnsService() {
    }

    /**
     * A started {@code DNSJavaService} asking only {@code server} (no {@code /etc/resolv.conf} servers or search
     * paths), with negative answers not cached, and without registering itself as dnsjava's JVM-wide default
     * resolver (so it leaves other tests in the JVM alone; SPF, which uses that default, does not see it).
     */
    public static DNSJavaService pointedAt(LoopbackDnsServer server, MetricFactory metricFactory) throws Exception {
        DNSJavaService service = new DNSJavaService(metricFactory);
        // Read as James reads conf/dnsservice.xml.
        service.configure(FileConfigurationProvider.getConfig(
            new ByteArrayInputStream(xml(server, false).getBytes(StandardCharsets.UTF_8))));
        service.init();
        return service;
    }

    /**
     * A {@code dnsservice.xml} for a whole James (e.g. {@code JamesHarness.start(xml, jar,
     * Map.of("dnsservice.xml", JamesDnsService.dnsServiceXml(server)))}): only {@code server}, no autodiscovery,
     * negative answers not cached; James registers it as dnsjava's default, as in production.
     */
    public static String dnsServiceXml(LoopbackDnsServer server) {
        return xml(server, true);
    }

    private static String xml(LoopbackDnsServer server, boolean setAsDnsJavaDefault) {
        return "<?xml version=\"1.0\"?>\n"
            + "<dnsservice>\n"
            + "  <servers>\n"
            + "    <server>" + server.address() + "</server>\n"
            + "  </servers>\n"
            + "  <autodiscover>false</autodiscover>\n"
            + "  <authoritative>false</authoritative>\n"
            + "  <maxcachesize>50000</maxcachesize>\n"
            + "  <negativeCacheTTL>0</negativeCacheTTL>\n"
            + "  <setAsDNSJavaDefault>" + setAsDnsJavaDefault + "</setAsDNSJavaDefault>\n"
            + "</dnsservice>\n";
    }
}
