package dev.kindling.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging of the command line. {@code bin/kindling} ships slf4j-jdk14, so Kindling logs through
 * {@code java.util.logging}, whose levels {@code KindlingContext.setLogLevel} changes at run time.
 * {@link #configure()} gives it one readable line per message on standard error, in the shape
 * slf4j-simple used: {@code [thread] LEVEL logger - message}, with SLF4J's level names (WARN, not
 * WARNING), followed by the stack trace of an exception if there is one; level INFO.
 */
public final class CliLogging {

    private CliLogging() {
    }

    /**
     * Installs the one-line console handler on the root logger, at level INFO, replacing the JDK's
     * default handler; does nothing if the user configured {@code java.util.logging} with
     * {@code -Djava.util.logging.config.file} or {@code config.class}.
     */
    public static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler(); // writes to System.err
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLineFormatter());
        root.addHandler(console);
        root.setLevel(Level.INFO);
    }

    /** Formats a record as {@code [thread] LEVEL logger - message}, plus the exception's stack trace. */
    public static final class OneLineFormatter extends Formatter {

        /** Creates the formatter. */
        public OneLineFormatter() {
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder();
            // Console handlers publish on the logging thread, so this is the thread that logged.
            line.append('[').append(Thread.currentThread().getName()).append("] ")
                    .append(levelName(record.getLevel())).append(' ')
                    .append(record.getLoggerName()).append(" - ")
                    .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        /** SLF4J's name for a {@code java.util.logging} level, as slf4j-jdk14 maps them. */
        static String levelName(Level level) {
            int v = level.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return v > Level.SEVERE.intValue() ? level.getName() : "ERROR";
            }
            if (v >= Level.WARNING.intValue()) {
                return "WARN";
            }
            if (v >= Level.INFO.intValue()) {
                return "INFO";
            }
            if (v >= Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }
    }
}
