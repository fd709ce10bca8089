package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link KindlingContext#setLogLevel} in this module's tests, whose SLF4J backend is slf4j-simple:
 * names are checked as Spark does, and since slf4j-simple cannot change levels the call says so
 * instead of pretending. (The shell's tests, bound to java.util.logging as {@code bin/kindling} is,
 * check that the level really changes.)
 */
class SetLogLevelTest {

    @Test
    void whenTheLevelIsNotOneOfSparks_thenTheErrorListsTheValidOnes() {
        try (KindlingContext kc = Kindling.local(1)) {
            for (String bad : new String[] {"VERBOSE", "", "warning", null}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kc.setLogLevel(bad));
                assertTrue(e.getMessage().contains("\"" + bad + "\"")
                        && e.getMessage().contains("ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN"), e.getMessage());
            }
        }
    }

    @Test
    void whenTheBoundBackendIsSlf4jSimple_thenSetLogLevelWarnsThatItChangedNothingAndHowToSetTheLevel() {
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName(),
                "this module's tests run on slf4j-simple");
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (KindlingContext kc = Kindling.local(1)) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                kc.setLogLevel("error");
            } finally {
                System.setErr(original);
            }
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("setLogLevel(\"error\") changed nothing")
                && log.contains("org.slf4j.simple.SimpleLoggerFactory")
                && log.contains("-Dorg.slf4j.simpleLogger.defaultLogLevel=error"), log);
    }

    @Test
    void whenLevelsMapToJavaUtilLogging_thenEachSparkNameKeepsItsOrder() {
        List<Level> ordered = LogLevels.VALID.stream().map(LogLevels::julLevel).toList();
        // VALID is alphabetical: ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN.
        assertEquals(List.of(Level.ALL, Level.FINE, Level.SEVERE, LogLevels.FATAL, Level.INFO, Level.OFF, Level.FINEST,
                Level.WARNING), ordered);
        assertTrue(Level.SEVERE.intValue() < LogLevels.FATAL.intValue()
                && LogLevels.FATAL.intValue() < Level.OFF.intValue(), "FATAL drops errors but is not OFF");
    }
}
