package dev.kindling.internal.scheduler.backend;

import java.util.Locale;
import java.util.Map;

/**
 * How long delay scheduling waits at each locality level before it lets a task run farther from its
 * input, as Spark's {@code spark.locality.wait}: {@value #WAIT} (default {@value #DEFAULT}) for every
 * level, overridden per level by {@value #WAIT_PROCESS} and {@value #WAIT_NODE}. Values are
 * milliseconds, or a number with the unit {@code ms}, {@code s} or {@code min}; 0 turns waiting off.
 *
 * @param processMillis how long a task set waits for an executor that holds its cached blocks
 * @param nodeMillis    how long it then waits for an executor on a host that holds its input
 */
public record LocalityWait(long processMillis, long nodeMillis) {

    /** The wait of every level. */
    public static final String WAIT = "kindling.locality.wait";
    /** The wait for an executor that holds a task's cached partition (default: {@value #WAIT}). */
    public static final String WAIT_PROCESS = "kindling.locality.wait.process";
    /** The wait for an executor on a host that holds a task's input (default: {@value #WAIT}). */
    public static final String WAIT_NODE = "kindling.locality.wait.node";
    /** Default of {@value #WAIT}, as Spark's. */
    public static final String DEFAULT = "3s";

    /** Checks the waits are not negative. */
    public LocalityWait {
        if (processMillis < 0 || nodeMillis < 0) {
            throw new IllegalArgumentException("Locality waits cannot be negative (got process " + processMillis
                    + " ms, node " + nodeMillis + " ms)");
        }
    }

    /** The waits set in {@code conf}, or an error naming the key, its value and the accepted forms. */
    public static LocalityWait of(Map<String, String> conf) {
        long all = parse(WAIT, conf.getOrDefault(WAIT, DEFAULT));
        long process = conf.containsKey(WAIT_PROCESS) ? parse(WAIT_PROCESS, conf.get(WAIT_PROCESS)) : all;
        long node = conf.containsKey(WAIT_NODE) ? parse(WAIT_NODE, conf.get(WAIT_NODE)) : all;
        return new LocalityWait(process, node);
    }

    /** The wait of level {@code index}: 0 process, 1 node. */
    long millis(int index) {
        return index == 0 ? processMillis : nodeMillis;
    }

    static long parse(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        long scale = 1;
        if (v.endsWith("ms")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("min")) {
            v = v.substring(0, v.length() - 3);
            scale = 60_000;
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
            scale = 1_000;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return Math.multiplyExact(n, scale);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + " must be a duration that is not negative: milliseconds, or a "
                    + "number with ms, s or min (got \"" + value + "\"); the default is " + DEFAULT + ", 0 turns the "
                    + "wait off", e);
        }
    }
}
