package dev.jamesproxy.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The jar's command line: {@code java -jar james-proxy-extension-<version>.jar <command>}. It uses the
 * parser only, so it runs without James on the classpath.
 */
public final class Main {
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: java -jar james-proxy-extension.jar <command>",
        "  decode   read hex-encoded captures, one per line, from stdin; print one JSON verdict per line",
        "  probe    send a PROXY header and a short SMTP dialogue to a server; print what it answered",
        "           (probe --help for its options)");

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args));
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "decode":
                if (rest.length > 0) {
                    System.err.println("decode takes no arguments; it reads hex lines from stdin");
                    return 2;
                }
                new DecodeCommand().run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)),
                    System.out);
                return 0;
            case "probe":
                if (rest.length == 0 || "--help".equals(rest[0])) {
                    System.out.println(ProbeCommand.USAGE);
                    return rest.length == 0 ? 2 : 0;
                }
                ProbeCommand probe = new ProbeCommand(System.out);
                java.util.Optional<String> problem = probe.configure(rest);
                if (problem.isPresent()) {
                    System.err.println("probe: " + problem.get());
                    System.err.println(ProbeCommand.USAGE);
                    return 2;
                }
                return probe.run();
            default:
                System.err.println("unknown command '" + args[0] + "'");
                System.err.println(USAGE);
                return 2;
        }
    }
}
