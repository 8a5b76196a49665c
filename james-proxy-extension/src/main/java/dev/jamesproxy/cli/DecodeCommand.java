package dev.jamesproxy.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.Crc32cStatus;
import dev.jamesproxy.protocol.Hex;
import dev.jamesproxy.protocol.ParseError;
import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.ProxyHeaderParser;
import dev.jamesproxy.protocol.Tlv;

/**
 * {@code decode}: reads hex strings, one per line, and prints one JSON object per line with the verdict
 * a listener with default settings reaches and what the header says. The output format is a public
 * interface (design.md, "Decode tool contract"); keep it stable.
 */
final class DecodeCommand {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    void run(BufferedReader in, PrintStream out) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            out.println(decode(line));
        }
        out.flush();
    }

    /** The JSON line for one hex input line. */
    String decode(String hexLine) {
        String hex = stripWhitespace(hexLine);
        Optional<byte[]> bytes = Hex.decode(hex);
        if (bytes.isEmpty()) {
            return render(false, "BAD_INPUT: the line is not an even-length hex string", false, null, null);
        }
        byte[] input = bytes.get();
        // The line is all there is: an incomplete header is rejected as INCOMPLETE, in the same single parse.
        ParseResult result = parser.parseFinal(input, 0, input.length);
        if (result.isComplete()) {
            ProxyData data = result.proxyData().orElseThrow();
            return render(true, null, false, data, data.headerLength());
        }
        ParseError error = result.error().orElseThrow();
        return render(false, error.toString(), error.reason() == ParseError.Reason.INCOMPLETE,
            result.rejectedHeader().orElse(null), null);
    }

    private static String render(boolean valid, String error, boolean incomplete, ProxyData data, Integer headerLength) {
        JsonWriter json = new JsonWriter().beginObject()
            .field("valid", valid)
            .field("error", error)
            .field("incomplete", incomplete)
            .field("version", data == null || data.version().isEmpty() ? null : data.version().getAsInt())
            .field("command", data == null ? null : data.command().map(Enum::name).orElse(null))
            .field("family", data == null ? null : data.family().map(Enum::name).orElse(null))
            .field("protocol", data == null ? null : data.protocol().map(Enum::name).orElse(null))
            .field("src_addr", data == null ? null : sourceText(data))
            .field("dst_addr", data == null ? null : destinationText(data))
            .field("src_port", data == null || data.sourcePort().isEmpty() ? null : data.sourcePort().getAsInt())
            .field("dst_port", data == null || data.destinationPort().isEmpty() ? null : data.destinationPort().getAsInt())
            .field("header_length", headerLength);
        json.beginArray("tlvs");
        if (data != null) {
            for (Tlv tlv : data.tlvs()) {
                json.beginObject().field("type", tlv.type()).field("name", tlv.name())
                    .field("value", Hex.encode(tlv.value())).endObject();
            }
        }
        json.endArray();
        Crc32cStatus crc = data == null ? Crc32cStatus.ABSENT : data.crc32c();
        json.field("crc32c", crc == Crc32cStatus.NOT_CHECKED ? "absent" : crc.name().toLowerCase(Locale.ROOT));
        return json.endObject().toString();
    }

    private static String sourceText(ProxyData data) {
        return data.sourceAddress().map(AddressText::of).orElse(data.sourcePath().orElse(null));
    }

    private static String destinationText(ProxyData data) {
        return data.destinationAddress().map(AddressText::of).orElse(data.destinationPath().orElse(null));
    }

    private static String stripWhitespace(String line) {
        StringBuilder hex = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!Character.isWhitespace(c)) {
                hex.append(c);
            }
        }
        return hex.toString();
    }
}
