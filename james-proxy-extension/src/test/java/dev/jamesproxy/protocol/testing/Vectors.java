package dev.jamesproxy.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jamesproxy.protocol.Hex;

/** The shared conformance corpus, {@code vectors/proxy-header-vectors.json}. */
public final class Vectors {
    private Vectors() {
    }

    /** One case; {@link #toString()} is its id, for parameterized test names. */
    public static final class Case {
        public final JsonNode json;

        Case(JsonNode json) {
            this.json = json;
        }

        public String id() {
            return json.get("id").asText();
        }

        public byte[] bytes() {
            return Hex.decode(json.get("hex").asText()).orElseThrow();
        }

        public boolean accept() {
            return "accept".equals(json.get("expect").asText());
        }

        public boolean incomplete() {
            return json.path("incomplete").asBoolean(false);
        }

        public JsonNode fields() {
            return json.get("fields");
        }

        public int headerLength() {
            return json.get("header_len").asInt();
        }

        @Override
        public String toString() {
            return id();
        }
    }

    public static List<Case> all() {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/proxy-header-vectors.json")) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(in)) {
                cases.add(new Case(node));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
