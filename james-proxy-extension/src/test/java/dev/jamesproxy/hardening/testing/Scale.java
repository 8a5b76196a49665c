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

    public static String name() {
        return LONG ? "long" : "short";
    }
}
