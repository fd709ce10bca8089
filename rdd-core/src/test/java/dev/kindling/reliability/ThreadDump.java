package dev.kindling.reliability;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Thread helpers for hang watchdogs and leak checks in reliability tests. */
final class ThreadDump {

    private ThreadDump() {
    }

    /** Every live thread's name, state and full stack, also printed to stderr. */
    static String all() {
        StringBuilder out = new StringBuilder("Timed out: a hang? Stacks of all threads:\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            out.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement frame : e.getValue()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        System.err.println(out);
        return out.toString();
    }

    /** The live threads whose name starts with {@code kindling-}. */
    static Set<Thread> kindlingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kindling-")).collect(Collectors.toSet());
    }

    /**
     * Waits (at most 10 s) until no {@code kindling-} thread is alive except those in
     * {@code before}, and returns the names of any that are still alive.
     */
    static Set<String> kindlingThreadsLeftOver(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Set<Thread> now = kindlingThreads();
            now.removeAll(before);
            if (now.isEmpty() || System.nanoTime() > deadline) {
                return now.stream().map(Thread::getName).collect(Collectors.toSet());
            }
            Thread.sleep(10);
        }
    }
}
