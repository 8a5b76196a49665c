package dev.jamesproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jamesproxy.protocol.Hex;
import dev.jamesproxy.protocol.testing.V2Bytes;
import dev.jamesproxy.protocol.testing.Vectors;

/** The decode tool's output is a public interface: design.md, "Decode tool contract". */
class DecodeCommandTest {
    private static final List<String> KEYS = List.of("valid", "error", "incomplete", "version", "command", "family",
        "protocol", "src_addr", "dst_addr", "src_port", "dst_port", "header_length", "tlvs", "crc32c");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DecodeCommand decode = new DecodeCommand();

    private JsonNode decode(String hex) throws IOException {
        return JSON.readTree(decode.decode(hex));
    }

    static Stream<Vectors.Case> bindingCases() {
        return Vectors.all().stream().filter(c -> c.json.get("spec").asText().startsWith("must-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindingCases")
    void decodeShouldAgreeWithEveryBindingVector(Vectors.Case vector) throws IOException {
        JsonNode out = decode(vector.json.get("hex").asText());

        assertThat(out.get("valid").asBoolean()).isEqualTo(vector.accept());
        assertThat(out.get("incomplete").asBoolean()).isEqualTo(vector.incomplete());
        if (!vector.accept()) {
            assertThat(out.get("error").asText()).isNotEmpty();
            assertThat(out.get("header_length").isNull()).isTrue();
            return;
        }
        JsonNode fields = vector.fields();
        assertThat(out.get("error").isNull()).isTrue();
        assertThat(out.get("header_length").asInt()).isEqualTo(vector.headerLength());
        for (String key : List.of("version", "family", "protocol", "src_addr", "dst_addr", "src_port", "dst_port")) {
            assertThat(out.get(key)).as(key).isEqualTo(fields.get(key));
        }
        assertThat(out.get("command").asText()).isEqualTo(fields.has("command") ? fields.get("command").asText() : "PROXY");
        List<String> tlvs = new ArrayList<>();
        out.get("tlvs").forEach(t -> tlvs.add(t.get("type").asInt() + "=" + t.get("value").asText()));
        List<String> expected = new ArrayList<>();
        fields.path("tlv_list").forEach(t -> expected.add(t.get("type").asInt() + "=" + t.get("hex").asText()));
        assertThat(tlvs).isEqualTo(expected);
    }

    @Test
    void everyLineShouldCarryEveryKeyInContractOrder() throws IOException {
        for (String hex : List.of("", "zz", "50524f5859", Hex.encode("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII)),
            Hex.encode(V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).crc32c().build()))) {
            List<String> keys = new ArrayList<>();
            decode(hex).fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(hex).isEqualTo(KEYS);
        }
    }

    @Test
    void anAcceptedHeaderShouldBeDescribedInFull() {
        String hex = Hex.encode(V2Bytes.tcp6("2001:db8::7", 40000, "2001:db8::25", 25).tlv(0x05, "id-1").crc32c()
            .then("EHLO x\r\n").build());

        String line = decode.decode(hex);

        assertThat(line).startsWith("{\"valid\":true,\"error\":null,\"incomplete\":false,\"version\":2,\"command\":\"PROXY\","
            + "\"family\":\"INET6\",\"protocol\":\"STREAM\",\"src_addr\":\"2001:db8::7\",\"dst_addr\":\"2001:db8::25\","
            + "\"src_port\":40000,\"dst_port\":25,\"header_length\":66,\"tlvs\":[{\"type\":5,\"name\":\"UNIQUE_ID\","
            + "\"value\":\"69642d31\"},{\"type\":3,\"name\":\"CRC32C\",\"value\":\"");
        assertThat(line).endsWith("\"}],\"crc32c\":\"valid\"}");
    }

    @Test
    void aWrongChecksumShouldBeInvalidAndSaySo() throws IOException {
        byte[] header = V2Bytes.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x03, new byte[4]).build();

        JsonNode out = decode(Hex.encode(header));

        assertThat(out.get("valid").asBoolean()).isFalse();
        assertThat(out.get("crc32c").asText()).isEqualTo("invalid");
        assertThat(out.get("error").asText()).startsWith("CRC32C_MISMATCH");
        assertThat(out.get("header_length").isNull()).isTrue();
    }

    @Test
    void emptyAndPartialInputShouldBeIncomplete() throws IOException {
        JsonNode empty = decode("");
        JsonNode partial = decode("0d0a0d0a000d0a515549540a2111");

        assertThat(empty.get("incomplete").asBoolean()).isTrue();
        assertThat(empty.get("valid").asBoolean()).isFalse();
        assertThat(partial.get("incomplete").asBoolean()).isTrue();
        assertThat(partial.get("error").asText()).startsWith("INCOMPLETE");
        assertThat(partial.get("crc32c").asText()).isEqualTo("absent");
    }

    @Test
    void badHexShouldBeReportedNotFatal() throws IOException {
        JsonNode out = decode("50524f58 5g");

        assertThat(out.get("valid").asBoolean()).isFalse();
        assertThat(out.get("incomplete").asBoolean()).isFalse();
        assertThat(out.get("error").asText()).startsWith("BAD_INPUT");
    }

    @Test
    void whitespaceAndCaseInHexShouldBeIgnored() throws IOException {
        assertThat(decode(" 50524F5859 20554e4b4e4f574e0d0a\r").get("valid").asBoolean()).isTrue();
    }

    @Test
    void theCommandLineShouldRunWithoutJamesAndPrintOneLinePerInput() throws Exception {
        String classes = Paths.get("target/classes").toAbsolutePath().toString();
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classes, "dev.jamesproxy.cli.Main", "decode").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(("50524f585920554e4b4e4f574e0d0a\n\nnot hex\n"
                + "0d0a0d0a000d0a515549540a20000000\n").getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertThat(process.exitValue()).isZero();
        assertThat(lines).hasSize(4);
        assertThat(JSON.readTree(lines.get(0)).get("valid").asBoolean()).isTrue();
        assertThat(JSON.readTree(lines.get(1)).get("incomplete").asBoolean()).isTrue();
        assertThat(JSON.readTree(lines.get(2)).get("error").asText()).startsWith("BAD_INPUT");
        assertThat(JSON.readTree(lines.get(3)).get("command").asText()).isEqualTo("LOCAL");
    }

    @Test
    void anUnknownCommandShouldFailWithUsage() throws IOException {
        assertThat(Main.run(new String[] {"nonsense"})).isEqualTo(2);
        assertThat(Main.run(new String[] {"decode", "extra"})).isEqualTo(2);
    }
}
