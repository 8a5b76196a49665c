package dev.jamesproxy.hardening.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures a campaign measured: printed, and appended to {@code target/hardening-figures.txt}
 * (SECURITY.md quotes them).
 */
public final class Figures {
    private static final Path FILE = Paths.get("target", "hardening-figures.txt");

    private Figures() {
    }

    public static void record(String campaign, String figures) {
        String line = Instant.now() + " [" + Scale.name() + "] " + campaign + ": " + figures;
        System.out.println("HARDENING " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write " + FILE + ": " + e);
        }
    }

    /** min / median / p99 / max of {@code values}, e.g. "min 3001 median 3004 p99 3050 max 3100". */
    public static String distribution(List<Long> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return "min " + sorted.get(0) + " median " + sorted.get(sorted.size() / 2)
            + " p99 " + sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1))
            + " max " + sorted.get(sorted.size() - 1);
    }
}
