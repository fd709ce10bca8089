package dev.kindling.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child processes of this JVM that an engine started (the executor JVMs of {@code local-cluster}),
 * taken once after the engine started, so that {@link PlainWorkloads} can count their CPU time and
 * peak memory with the driver's. Reads {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}; on a
 * system without {@code /proc}, or with no children, every figure is 0.
 */
final class ChildProcesses {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s times ({@code getconf CLK_TCK}, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private final List<Long> pids;

    private ChildProcesses(List<Long> pids) {
        this.pids = pids;
    }

    /** The children of this JVM now. */
    static ChildProcesses ofThisJvm() {
        return new ChildProcesses(ProcessHandle.current().children().map(ProcessHandle::pid).toList());
    }

    /** How many children there are. */
    int count() {
        return pids.size();
    }

    /**
     * CPU time (user and system, all threads) the children used so far, in nanoseconds, at the
     * resolution of a clock tick (10 ms): sum many runs before dividing. A child that exited counts 0.
     */
    long cpuNanos() {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
            } catch (IOException | RuntimeException e) {
                // exited, or no /proc: nothing to add
            }
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** The sum of the children's peak resident set sizes ({@code VmHWM}) in kB; read it before they stop. */
    long peakRssKb() {
        long kb = 0;
        for (long pid : pids) {
            kb += Math.max(0, PlainWorkloads.peakRssKb(Path.of("/proc/" + pid + "/status")));
        }
        return kb;
    }
}
