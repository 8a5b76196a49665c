package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.protocol.testing.V2Bytes;

/** Every value of the version/command byte and of the family/protocol byte. */
class ExhaustiveHeaderBytesTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    @Test
    void onlyVersion2WithLocalOrProxyShouldBeAccepted() {
        for (int versionCommand = 0; versionCommand < 256; versionCommand++) {
            ParseResult result = parser.parse(V2Bytes.local().versionCommand(versionCommand).build());
            boolean expected = versionCommand == 0x20 || versionCommand == 0x21;

            assertThat(result.isComplete()).as("byte 12 = 0x%02X", versionCommand).isEqualTo(expected);
            if (!expected) {
                assertThat(result.error().orElseThrow().reason()).as("byte 12 = 0x%02X", versionCommand)
                    .isEqualTo((versionCommand >>> 4) != 2 ? ParseError.Reason.V2_BAD_VERSION : ParseError.Reason.V2_BAD_COMMAND);
            } else {
                assertThat(result.proxyData().orElseThrow().command().orElseThrow().code()).isEqualTo(versionCommand & 0xF);
            }
        }
    }

    @Test
    void everyFamilyProtocolByteShouldBeJudgedUnderBothCommands() {
        for (int command : new int[] {0x20, 0x21}) {
            for (int familyProtocol = 0; familyProtocol < 256; familyProtocol++) {
                int family = familyProtocol >>> 4;
                int protocol = familyProtocol & 0xF;
                byte[] block = new byte[addressBlockLength(family, protocol)];
                ParseResult result = parser.parse(V2Bytes.proxy().versionCommand(command).familyProtocol(familyProtocol)
                    .raw(block).build());
                String label = String.format("command 0x%02X, byte 13 = 0x%02X", command, familyProtocol);

                if (family > 3) {
                    assertThat(result.error().orElseThrow().reason()).as(label).isEqualTo(ParseError.Reason.V2_BAD_FAMILY);
                } else if (protocol > 2) {
                    assertThat(result.error().orElseThrow().reason()).as(label).isEqualTo(ParseError.Reason.V2_BAD_PROTOCOL);
                } else {
                    ProxyData data = result.proxyData().orElseThrow(() -> new AssertionError(label + ": " + result));
                    assertThat(data.family().orElseThrow().code()).as(label).isEqualTo(family);
                    assertThat(data.protocol().orElseThrow().code()).as(label).isEqualTo(protocol);
                    boolean inet = (family == 1 || family == 2) && protocol != 0;
                    assertThat(data.hasClientAddress()).as(label).isEqualTo(inet && command == 0x21);
                    assertThat(data.sourceAddress().isPresent()).as(label).isEqualTo(inet);
                    assertThat(data.tlvs()).as(label).isEmpty();
                    assertThat(data.tlvAreaMalformed()).as(label).isFalse();
                }
            }
        }
    }

    @Test
    void everyShortenedLengthShouldBeRejectedForEachFamily() {
        for (int family = 1; family <= 3; family++) {
            int needed = addressBlockLength(family, 1);
            for (int length = 0; length < needed; length++) {
                ParseResult result = parser.parse(V2Bytes.proxy().familyProtocol(family << 4 | 1).raw(new byte[length]).build());

                assertThat(result.error().orElseThrow().reason()).as("family %d, len %d", family, length)
                    .isEqualTo(ParseError.Reason.V2_TRUNCATED_ADDRESS);
            }
        }
    }

    @Test
    void everyTlvTypeShouldBeKeptWithItsName() {
        for (int type = 0; type < 256; type++) {
            byte[] value = type == TlvType.SSL.code() ? new byte[5] : type == TlvType.CRC32C.code() ? null : new byte[] {7};
            if (value == null) {
                continue;
            }
            ProxyData data = parser.parse(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(type, value).build())
                .proxyData().orElseThrow();

            assertThat(data.tlvs()).as("type 0x%02X", type).hasSize(1);
            assertThat(data.tlvs().get(0).type()).isEqualTo(type);
            assertThat(data.tlvs().get(0).name()).isEqualTo(TlvType.nameOf(type));
            assertThat(TlvType.codeOf(TlvType.nameOf(type))).contains(type);
        }
    }

    @Test
    void everyTypeShouldFallInExactlyOneRange() {
        for (int type = 0; type < 256; type++) {
            int ranges = (TlvType.of(type).isPresent() ? 1 : 0) + (TlvType.isCustom(type) ? 1 : 0)
                + (TlvType.isExperimental(type) ? 1 : 0) + (TlvType.isFuture(type) ? 1 : 0);
            assertThat(ranges).as("type 0x%02X", type).isLessThanOrEqualTo(1);
            assertThat(TlvType.isCustom(type)).isEqualTo(type >= 0xE0 && type <= 0xEF);
            assertThat(TlvType.isExperimental(type)).isEqualTo(type >= 0xF0 && type <= 0xF7);
            assertThat(TlvType.isFuture(type)).isEqualTo(type >= 0xF8);
        }
    }

    private static int addressBlockLength(int family, int protocol) {
        if (protocol == 0 || protocol > 2) {
            return 0;
        }
        switch (family) {
            case 1:
                return 12;
            case 2:
                return 36;
            case 3:
                return 216;
            default:
                return 0;
        }
    }
}
