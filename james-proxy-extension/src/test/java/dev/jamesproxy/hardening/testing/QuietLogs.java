package dev.jamesproxy.hardening.testing;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/** Campaigns reject thousands of connections on purpose: their one-line WARN each would flood the build log. */
public final class QuietLogs implements AutoCloseable {
    private static final String[] LOGGERS = {"dev.jamesproxy.james.netty.RejectionLog", "dev.jamesproxy.james.netty.HeaderDecoder"};

    private final Level[] previous = new Level[LOGGERS.length];

    private QuietLogs() {
        for (int i = 0; i < LOGGERS.length; i++) {
            Logger logger = (Logger) LoggerFactory.getLogger(LOGGERS[i]);
            previous[i] = logger.getLevel();
            logger.setLevel(Level.ERROR);
        }
    }

    public static QuietLogs rejections() {
        return new QuietLogs();
    }

    @Override
    public void close() {
        for (int i = 0; i < LOGGERS.length; i++) {
            ((Logger) LoggerFactory.getLogger(LOGGERS[i])).setLevel(previous[i]);
        }
    }
}
