package dev.jamesproxy.james.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Records log events (message and MDC) of every logger at INFO and above while open. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.setName("test-capture");
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    /** The first event whose formatted message matches, waiting up to {@code wait} for it. */
    public Optional<ILoggingEvent> await(Predicate<String> message, Duration wait) throws InterruptedException {
        return awaitEvent(event -> message.test(event.getFormattedMessage()), wait);
    }

    /** The first event that matches, waiting up to {@code wait} for it. */
    public Optional<ILoggingEvent> awaitEvent(Predicate<ILoggingEvent> matching, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<ILoggingEvent> found = events.stream().filter(matching).findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    public static Map<String, String> mdc(ILoggingEvent event) {
        return event.getMDCPropertyMap();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
