package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code setLogLevel} on the logging backend {@code bin/kindling} ships (java.util.logging through
 * slf4j-jdk14): a WARN from a Kindling logger is dropped after {@code setLogLevel("ERROR")} and
 * emitted after {@code setLogLevel("info")}; and the command line's format is one line per message.
 */
class LogLevelTest {

    /** The scheduler's WARN when a task attempt fails and is retried (local[1,2]: two attempts). */
    private static final String RETRY_WARNING = "failed; retrying";

    @Test
    void whenTheLevelIsError_thenAKindlingWarnIsNotEmittedAndAfterInfoItIs() {
        assertEquals("org.slf4j.jul.JDK14LoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName(),
                "the shell's tests run on the shipped java.util.logging binding");
        Logger root = Logger.getLogger("");
        Level savedLevel = root.getLevel();
        Handler[] savedHandlers = root.getHandlers();
        List<Level> savedHandlerLevels = new ArrayList<>();
        for (Handler h : savedHandlers) {
            savedHandlerLevels.add(h.getLevel());
        }
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        try (KindlingContext kc = Kindling.builder().master("local[1,2]").build()) {
            kc.setLogLevel("ERROR");
            assertEquals(List.of(1), failFirstAttempt(kc));
            assertEquals(List.of(), retryWarnings(records), "WARN dropped at level ERROR");

            kc.setLogLevel("info");
            assertEquals(List.of(1), failFirstAttempt(kc));
            List<LogRecord> warned = retryWarnings(records);
            assertEquals(1, warned.size(), "WARN emitted at level INFO");
            assertEquals(Level.WARNING, warned.get(0).getLevel());
            assertTrue(warned.get(0).getLoggerName().startsWith("dev.kindling."), warned.get(0).getLoggerName());
        } finally {
            root.removeHandler(capture);
            root.setLevel(savedLevel);
            for (int i = 0; i < savedHandlers.length; i++) {
                savedHandlers[i].setLevel(savedHandlerLevels.get(i));
            }
        }
    }

    @Test
    void whenTheCliFormatsARecord_thenItIsOneLineWithSlf4jLevelNames() {
        CliLogging.OneLineFormatter formatter = new CliLogging.OneLineFormatter();
        LogRecord record = new LogRecord(Level.WARNING, "Task {0} failed");
        record.setParameters(new Object[] {7});
        record.setLoggerName("dev.kindling.internal.scheduler.DAGScheduler");
        String line = formatter.format(record);
        assertEquals("[" + Thread.currentThread().getName() + "] WARN dev.kindling.internal.scheduler.DAGScheduler - Task 7 failed"
                + System.lineSeparator(), line);
        assertEquals(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"), List.of(Level.FINEST, Level.FINE, Level.INFO,
                Level.WARNING, Level.SEVERE).stream().map(CliLogging.OneLineFormatter::levelName).toList());
    }

    private static List<Integer> failFirstAttempt(KindlingContext kc) {
        return kc.parallelize(List.of(1), 1).map(x -> {
            if (TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("first attempt fails on purpose");
            }
            return x;
        }).collect();
    }

    private static List<LogRecord> retryWarnings(List<LogRecord> records) {
        synchronized (records) {
            return records.stream().filter(r -> String.valueOf(r.getMessage()).contains(RETRY_WARNING)).toList();
        }
    }
}
