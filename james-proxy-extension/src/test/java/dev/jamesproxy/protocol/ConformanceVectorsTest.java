package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.jamesproxy.protocol.testing.Vectors;

class ConformanceVectorsTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    static Stream<Vectors.Case> cases() {
        return Vectors.all().stream();
    }

    static Stream<Vectors.Case> acceptCases() {
        return cases().filter(Vectors.Case::accept);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictShouldMatchTheVector(Vectors.Case vector) {
        byte[] input = vector.bytes();
        ParseResult result = parser.parse(input, 0, input.length);

        if (vector.accept()) {
            assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.COMPLETE);
            assertThat(result.headerLength()).isEqualTo(vector.headerLength());
        } else if (vector.incomplete()) {
            assertThat(result.status()).isEqualTo(ParseResult.Status.INCOMPLETE);
            assertThat(parser.parseFinal(input, 0, input.length).error().orElseThrow().reason())
                .isEqualTo(ParseError.Reason.INCOMPLETE);
        } else {
            assertThat(result.status()).as(result.toString()).isEqualTo(ParseResult.Status.INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptCases")
    void fieldsShouldMatchTheVector(Vectors.Case vector) {
        ProxyData data = parser.parse(vector.bytes()).proxyData().orElseThrow();
        JsonNode fields = vector.fields();

        assertThat(data.version().getAsInt()).isEqualTo(fields.get("version").asInt());
        assertThat(data.family().orElseThrow().name()).isEqualTo(fields.get("family").asText());
        assertThat(data.protocol().orElseThrow().name()).isEqualTo(fields.get("protocol").asText());
        if (fields.has("command")) {
            assertThat(data.command().orElseThrow().name()).isEqualTo(fields.get("command").asText());
        }
        assertThat(address(data.sourceAddress().map(AddressText::of).orElse(data.sourcePath().orElse(null))))
            .isEqualTo(text(fields.get("src_addr")));
        assertThat(address(data.destinationAddress().map(AddressText::of).orElse(data.destinationPath().orElse(null))))
            .isEqualTo(text(fields.get("dst_addr")));
        assertThat(data.sourcePort().isPresent() ? data.sourcePort().getAsInt() : null).isEqualTo(number(fields.get("src_port")));
        assertThat(data.destinationPort().isPresent() ? data.destinationPort().getAsInt() : null)
            .isEqualTo(number(fields.get("dst_port")));
        assertThat(Hex.encode(data.rest())).isEqualTo(fields.get("rest_hex").asText());
        if (fields.has("src_addr_raw_hex")) {
            assertThat(Hex.encode(data.sourceUnixRaw().orElseThrow())).isEqualTo(fields.get("src_addr_raw_hex").asText());
            assertThat(Hex.encode(data.destinationUnixRaw().orElseThrow())).isEqualTo(fields.get("dst_addr_raw_hex").asText());
        }
        if (fields.has("tlv_malformed")) {
            assertThat(data.tlvAreaMalformed()).isEqualTo(fields.get("tlv_malformed").asBoolean());
        }
        if (fields.has("tlv_list")) {
            List<String> expected = new ArrayList<>();
            fields.get("tlv_list").forEach(tlv -> expected.add(tlv.get("type").asInt() + "=" + tlv.get("hex").asText()));
            List<String> actual = new ArrayList<>();
            data.tlvs().forEach(tlv -> actual.add(tlv.type() + "=" + Hex.encode(tlv.value())));
            assertThat(actual).isEqualTo(expected);
        }
        if (fields.hasNonNull("tlv")) {
            assertTlvView(data.tlv().orElseThrow(), fields.get("tlv"));
        } else if (fields.has("tlv")) {
            assertThat(data.tlv()).isEmpty();
        }
    }

    /** The corpus names SSL sub-types aiosmtpd does not know as {@code xNN}; this project names them all. */
    private static void assertTlvView(ProxyTLV view, JsonNode expected) {
        assertThat(view.asMap()).hasSize(expected.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = TlvType.codeOf(entry.getKey()).map(TlvType::nameOf).orElse(entry.getKey());
            Object actual = view.get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + view));
            JsonNode value = entry.getValue();
            if (value.isBoolean()) {
                assertThat(actual).as(name).isEqualTo(value.asBoolean());
            } else if (value.isNumber()) {
                assertThat(((Number) actual).longValue()).as(name).isEqualTo(value.asLong());
            } else {
                assertThat(Hex.encode((byte[]) actual)).as(name).isEqualTo(value.asText());
            }
        }
    }

    private static String address(String text) {
        return text;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Integer number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asInt();
    }
}
