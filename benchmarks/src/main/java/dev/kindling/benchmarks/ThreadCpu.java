package dev.kindling.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used by this JVM's threads, grouped by name (JIT compiler threads, executor threads,
 * the driver...), read from Linux's {@code /proc/self/task}: shows where a benchmark's CPU went
 * besides the measured code, such as the JIT compiling code that is still warming up.
 */
final class ThreadCpu {

    /** Clock ticks per second of {@code /proc}'s CPU times (Linux's USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;

    private ThreadCpu() {
    }

    /** Whether {@code /proc/self/task} can be read here. */
    static boolean available() {
        return new File("/proc/self/task").isDirectory();
    }

    /** CPU milliseconds so far per thread group (the thread name without its trailing number). */
    static Map<String, Long> byGroup() {
        Map<String, Long> millis = new TreeMap<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return millis;
        }
        for (File task : tasks) {
            String stat;
            try {
                stat = Files.readString(new File(task, "stat").toPath());
            } catch (IOException | UncheckedIOException e) {
                continue; // the thread ended meanwhile
            }
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String group = stat.substring(open + 1, close).replaceAll("[-#]?\\d+$", "").trim();
            // After the name: state, then 10 fields, then utime and stime (fields 14 and 15 of stat).
            String[] fields = stat.substring(close + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            millis.merge(group, ticks * 1000 / TICKS_PER_SECOND, Long::sum);
        }
        return millis;
    }

    /** The groups' CPU milliseconds between two {@link #byGroup} readings, as {@code name=ms} pairs, largest first. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
        return out.toString();
    }
}
