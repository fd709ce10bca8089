package dev.kindling;

import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link KindlingContext#setLogLevel} does: sets the root log level of the logging backend that
 * SLF4J is bound to, when that backend can change levels at run time.
 * <ul>
 *   <li>{@code java.util.logging} (through {@code slf4j-jdk14}, which {@code bin/kindling} ships): the
 *       root logger's level and its handlers' levels. TRACE is FINEST, DEBUG FINE, WARN WARNING,
 *       ERROR SEVERE; FATAL is a level above SEVERE, so that (as in log4j) even errors are dropped.</li>
 *   <li>any other backend (slf4j-simple, which fixes levels at start-up; Logback or Log4j, which
 *       Kindling does not reach into): nothing changes, and a WARN says so and how to set the level
 *       in that backend's own configuration. With no backend (slf4j's no-op), nothing is logged anyway.</li>
 * </ul>
 */
final class LogLevels {

    /** The level names Spark's {@code setLogLevel} accepts. */
    static final List<String> VALID = List.of("ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN");

    private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);
    private static final String JUL_FACTORY = "org.slf4j.jul.JDK14LoggerFactory";
    private static final String NOP_FACTORY = "org.slf4j.helpers.NOPLoggerFactory";

    /** A {@code java.util.logging} level above SEVERE: only what is logged at FATAL passes (nothing, from SLF4J). */
    static final Level FATAL = new Level("FATAL", Level.SEVERE.intValue() + 100) {
        private static final long serialVersionUID = 1L;
    };

    private LogLevels() {
    }

    /**
     * Sets the root level of the bound backend to {@code level}, one of {@link #VALID} in any case.
     *
     * @throws IllegalArgumentException if {@code level} is not one of them
     */
    static void set(String level) {
        String name = level == null ? "" : level.trim().toUpperCase(Locale.ROOT);
        if (!VALID.contains(name)) {
            throw new IllegalArgumentException("Log level \"" + level + "\" is not valid; use one of "
                    + String.join(", ", VALID) + " (any case), as Spark's setLogLevel");
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        String backend = factory.getClass().getName();
        if (backend.equals(JUL_FACTORY)) {
            Level jul = julLevel(name);
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            root.setLevel(jul);
            for (Handler h : root.getHandlers()) {
                h.setLevel(jul);
            }
        } else if (!backend.equals(NOP_FACTORY)) {
            LOG.warn("setLogLevel(\"{}\") changed nothing: the logging backend bound to SLF4J ({}) cannot be changed "
                    + "by Kindling at run time. {}", level, backend, hint(backend, name));
        }
    }

    /** The {@code java.util.logging} level for a valid Spark level name. */
    static Level julLevel(String name) {
        return switch (name) {
            case "ALL" -> Level.ALL;
            case "TRACE" -> Level.FINEST;
            case "DEBUG" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "WARN" -> Level.WARNING;
            case "ERROR" -> Level.SEVERE;
            case "FATAL" -> FATAL;
            case "OFF" -> Level.OFF;
            default -> throw new IllegalArgumentException("not a level: " + name);
        };
    }

    private static String hint(String backend, String name) {
        if (backend.startsWith("org.slf4j.simple.")) {
            return "slf4j-simple reads its level once, at start-up: start the JVM with "
                    + "-Dorg.slf4j.simpleLogger.defaultLogLevel="
                    + (name.equals("ALL") ? "trace" : name.equals("FATAL") ? "off" : name.toLowerCase(Locale.ROOT))
                    + ", or use slf4j-jdk14 (as bin/kindling does), whose levels setLogLevel changes.";
        }
        return "Set the root level in that backend's own configuration (for example logback.xml or "
                + "log4j2.xml), or bind slf4j-jdk14, whose levels setLogLevel changes.";
    }
}
