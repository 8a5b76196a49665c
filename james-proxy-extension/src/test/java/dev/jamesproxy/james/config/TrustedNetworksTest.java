package dev.jamesproxy.james.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class TrustedNetworksTest {

    @Test
    void parseShouldAcceptCommasSpacesAndNewlines() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse(" 10.0.0.0/8,fd00::/8\n\t192.0.2.7 , ");

        assertThat(networks.networks()).hasSize(3);
        assertThat(networks.contains(InetAddress.getByName("10.2.3.4"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("fd00::9"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("192.0.2.8"))).isFalse();
    }

    @Test
    void parseShouldNameTheBadEntry() {
        assertThatThrownBy(() -> TrustedNetworks.parse("10.0.0.0/8, proxy.example.com"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'proxy.example.com'");
    }

    @Test
    void noneShouldMatchNothing() throws Exception {
        assertThat(TrustedNetworks.none().contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(TrustedNetworks.parse("").isEmpty()).isTrue();
    }

    @Test
    void firstOverlapShouldReturnBothEntries() {
        assertThat(TrustedNetworks.parse("10.0.0.0/8, 172.16.0.0/12").firstOverlap(TrustedNetworks.parse("192.0.2.1, 172.20.0.1")))
            .hasValueSatisfying(pair -> assertThat(pair).extracting(Cidr::toString).containsExactly("172.16.0.0/12", "172.20.0.1/32"));
        assertThat(TrustedNetworks.parse("10.0.0.0/8").firstOverlap(TrustedNetworks.parse("127.0.0.1"))).isEmpty();
    }

    @Test
    void containsEverythingShouldSpotSlashZero() {
        assertThat(TrustedNetworks.parse("10.0.0.0/8, ::/0").containsEverything()).isTrue();
        assertThat(TrustedNetworks.parse("10.0.0.0/8").containsEverything()).isFalse();
    }
}
