package dev.taskpoller.support;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event the test JVM's loggers let through while it is open (at the levels the configuration sets), kept
 * in memory: what an operator would read, counted by level and logger.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts capturing on the root logger, which every other logger passes its events to. */
    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        context.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    /** The events at this level or more severe. */
    public List<LogEvent> atLeast(Level level) {
        return events.stream().filter(event -> event.getLevel().isMoreSpecificThan(level)).toList();
    }

    public List<LogEvent> all() {
        return List.copyOf(events);
    }

    /** "INFO publish-terminal" → count, to say in a failure what was logged too often. */
    public static Map<String, Long> countByLevelAndLogger(List<LogEvent> events) {
        return events.stream().collect(Collectors.groupingBy(event -> event.getLevel() + " " + event.getLoggerName(),
                TreeMap::new, Collectors.counting()));
    }

    public static String text(LogEvent event) {
        return event.getMessage().getFormattedMessage();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
