package dev.jamesproxy.hardening.testing;

/**
 * Short campaigns in the default build, long ones with {@code -Dhardening.long=true} (the
 * {@code hardening-long} Maven profile sets it). Each count can also be set on its own, e.g.
 * {@code -Dhardening.slowloris.connections=500}.
 */
public final class Scale {
    public static final boolean LONG = Boolean.getBoolean("hardening.long");

    private Scale() {
    }

    /** {@code -D<property>} if set, else the long or the short value. */
    public static int pick(String property, int shortValue, int longValue) {
        return Integer.getInteger(property, LONG ? longValue : shortValue);
    }

    /**
     * {@code wanted} connections that each cost {@code descriptorsPerConnection} descriptors in this process
     * (a client socket and James's server socket: 2), capped so that they fit under the soft
     * {@code ulimit -n} with 1000 descriptors to spare for James itself.
     */
    public static int fitDescriptors(int wanted, int descriptorsPerConnection) {
        long limit = openFilesLimit();
        int fit = (int) Math.max(1, (limit - 1000) / descriptorsPerConnection);
        if (fit < wanted) {
            System.err.println("!!! ulimit -n is " + limit + ": " + fit + " connections instead of " + wanted + " !!!");
            return fit;
        }
        return wanted;
    }

    /** The soft limit of open files of this process (/proc/self/limits), or a large number when unknown. */
    public static long openFilesLimit() {
        return openFiles(0);
    }

    /** The hard limit of open files (what a child such as haproxy may raise its own limit to). */
    public static long openFilesHardLimit() {
        return openFiles(1);
    }

    private static long openFiles(int column) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String value = line.substring("Max open files".length()).trim().split("\\s+")[column];
                    return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: assume enough
        }
        return Long.MAX_VALUE;
    }

    public static String name() {
        return LONG ? "long" : "short";
    }
}
