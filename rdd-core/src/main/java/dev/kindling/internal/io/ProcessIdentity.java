package dev.kindling.internal.io;

import java.time.Instant;
import java.util.Optional;

/**
 * A process as recorded in a file that outlives it: its pid and its start time, so that a reused
 * pid is not mistaken for the process that wrote the record. Scratch directories and output claims
 * record their owner this way; a record whose process is gone may be cleaned up by someone else.
 *
 * <p>Judging errs on the side of "alive": when the start time is unknown on either side, a process
 * with the recorded pid counts as the owner, so nothing of a live process is ever taken.
 *
 * @param pid         the process id
 * @param startMillis the process's start time in epoch milliseconds, or -1 when unknown
 */
public record ProcessIdentity(long pid, long startMillis) {

    /** Start times read in two processes agree to the clock tick; a reused pid starts later than this. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    /** This JVM's process. */
    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(self.pid(), startMillis(self));
    }

    /** The identity of {@code process} now. */
    public static ProcessIdentity of(ProcessHandle process) {
        return new ProcessIdentity(process.pid(), startMillis(process));
    }

    /** Whether this is the current JVM's process. */
    public boolean isCurrent() {
        return pid == ProcessHandle.current().pid();
    }

    /**
     * Whether the recorded process still runs: a live process has the pid and, where both start
     * times are known, started within a second of the recorded time.
     */
    public boolean isAlive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long actual = startMillis(handle.get());
        return startMillis < 0 || actual < 0 || Math.abs(actual - startMillis) <= START_TOLERANCE_MILLIS;
    }

    /** "pid N, started T" for messages. */
    public String describe() {
        return "pid " + pid + (startMillis < 0 ? "" : ", started " + Instant.ofEpochMilli(startMillis));
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
