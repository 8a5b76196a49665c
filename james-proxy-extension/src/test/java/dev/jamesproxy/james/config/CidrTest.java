package dev.jamesproxy.james.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "10.1.2.3/8, 10.9.9.9, true",
        "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false",
        "192.0.2.0/25, 192.0.2.127, true",
        "192.0.2.0/25, 192.0.2.128, false",
        "0.0.0.0/0, 203.0.113.7, true",
        "fd00::/8, fd12:3456::1, true",
        "fd00::/8, fe80::1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "::/0, 2001:db8::1, true",
        "127.0.0.0/8, ::ffff:127.0.0.5, true",
        "10.0.0.0/8, ::1, false",
        "::1, 127.0.0.1, false"
    })
    void containsShouldFollowThePrefix(String cidr, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "mail.example.com", "10.0.0.0/33", "::/129", "300.1.1.1", "10.0.0", "10.0.0.0/",
        "10.0.0.0/-1", "10.0.0.0/8/8", "", "1.2.3.4.5", "fe80::1%eth0", "10.0.0.0/08x", "010.0.0.1", "10.0.0.01/32"})
    void parseShouldRejectWhatIsNotALiteralOrCidr(String value) {
        assertThatThrownBy(() -> Cidr.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.1.0.0/16, true",
        "10.1.0.0/16, 10.0.0.0/8, true",
        "10.0.0.0/8, 11.0.0.0/8, false",
        "127.0.0.1, 127.0.0.2, false",
        "127.0.0.0/30, 127.0.0.2, true",
        "fd00::/8, 10.0.0.0/8, false",
        "0.0.0.0/0, 192.0.2.1, true"
    })
    void overlapsShouldDetectSharedAddresses(String left, String right, boolean expected) {
        assertThat(Cidr.parse(left).overlaps(Cidr.parse(right))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "192.0.2.7, 192.0.2.7/32", "FD00::1/8, fd00::/8", "2001:DB8:0:0:1::7/128, 2001:db8::1:0:0:7/128"})
    void toStringShouldShowTheNetwork(String value, String expected) {
        assertThat(Cidr.parse(value)).hasToString(expected);
    }
}
