package dev.kindling.testing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Counts the processes a test started, wherever they ended up: every command the test runs carries
 * a unique marker on its command line (a number such as {@code 1000.482913}, used as
 * {@code sleep 1000.482913}), and the marked processes are found among all processes of the
 * machine, so children that were reparented to init after their parent died are counted too.
 * Closing it kills whatever is still marked, so a failing test leaves nothing running.
 */
public final class MarkedProcesses implements AutoCloseable {

    /** How long a test waits for processes to appear or to go before it fails: a liveness bound, not a speed limit. */
    private static final long PATIENCE_MILLIS = 60_000;

    private final String marker;

    /** A fresh marker: a number of seconds near 1000 with six random decimals. */
    public MarkedProcesses() {
        this.marker = "1000." + (100_000 + ThreadLocalRandom.current().nextInt(900_000));
    }

    /** The marker; a valid argument to {@code sleep} (about 17 minutes). */
    public String marker() {
        return marker;
    }

    /** The live processes whose command line contains the marker (zombies have none, so they do not count). */
    public List<ProcessHandle> live() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /** Waits until at least {@code n} marked processes run (fails after a minute). */
    public void awaitRunning(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (live().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " processes marked " + marker + " to start; running: " + describe());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Asserts that no marked process is left. Killing a process tree takes a moment after the job
     * that owned it has already failed, so this waits for them to go, for at most a minute.
     */
    public void assertNoneLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (!live().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("processes marked " + marker + " are still running: " + describe());
            }
            Thread.sleep(20);
        }
    }

    private String describe() {
        return live().stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")
                + " (parent " + p.parent().map(ProcessHandle::pid).orElse(-1L) + ")").collect(Collectors.joining("; ", "[", "]"));
    }

    /** Kills every marked process still running. */
    @Override
    public void close() {
        live().forEach(ProcessHandle::destroyForcibly);
    }
}
