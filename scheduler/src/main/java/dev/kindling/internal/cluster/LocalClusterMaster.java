package dev.kindling.internal.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master URL {@code local-cluster[E,C,M]}: E executor processes on this machine, each with C task
 * slots and M MiB of heap, started as child processes of the driver with its class path (as Spark's
 * local-cluster mode, which Spark uses in its own tests).
 *
 * @param executors number of executor processes, at least 1
 * @param cores     task slots of each executor, at least 1
 * @param memoryMb  heap of each executor in MiB ({@code -Xmx}), at least {@value #MIN_MEMORY_MB}
 */
public record LocalClusterMaster(int executors, int cores, int memoryMb) {

    /** The smallest executor heap accepted: a JVM with Netty and a task needs about this much. */
    public static final int MIN_MEMORY_MB = 64;
    /** The prefix of every local-cluster master URL. */
    public static final String PREFIX = "local-cluster";

    private static final Pattern FORM = Pattern.compile(
            "local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");

    /** Checks the ranges; the message names the part, its value and the form. */
    public LocalClusterMaster {
        check("executors E", executors, 1);
        check("cores per executor C", cores, 1);
        check("memory per executor M (MiB)", memoryMb, MIN_MEMORY_MB);
    }

    /** Whether {@code master} asks for a local cluster (well-formed or not: {@link #parse} says what is wrong). */
    public static boolean isLocalCluster(String master) {
        return master != null && master.strip().startsWith(PREFIX);
    }

    /**
     * Parses {@code local-cluster[E,C,M]} (spaces allowed around the numbers). Any other form is an
     * {@link IllegalArgumentException} that quotes the value and shows the expected form with an example.
     */
    public static LocalClusterMaster parse(String master) {
        String value = master == null ? "" : master.strip();
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("Bad master \"" + master + "\": expected local-cluster[E,C,M] with E executor"
                    + " processes, C cores each and M MiB of heap each, all whole numbers, e.g. local-cluster[2,1,1024]");
        }
        return new LocalClusterMaster(number(m.group(1), "executors E", master), number(m.group(2), "cores per executor C", master),
                number(m.group(3), "memory per executor M (MiB)", master));
    }

    /** Total task slots: executors times cores. */
    public int totalCores() {
        return executors * cores;
    }

    /** The URL this master was parsed from, in its canonical form. */
    @Override
    public String toString() {
        return PREFIX + "[" + executors + "," + cores + "," + memoryMb + "]";
    }

    private static int number(String digits, String what, String master) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad master \"" + master + "\": " + what + " = " + digits
                    + " is too large (at most " + Integer.MAX_VALUE + ")", e);
        }
    }

    private static void check(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("local-cluster[E,C,M]: " + what + " must be at least " + min + " (got "
                    + value + "), e.g. local-cluster[2,1,1024]");
        }
    }
}
