package dev.kindling.internal.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;

/**
 * How a driver's executor processes come and go: child processes of the driver
 * ({@code local-cluster[E,C,M]}, {@link LocalProcessLauncher}) or containers of a resource manager
 * (YARN). The driver's {@link LocalCluster} owns the server, the registry of executors and the
 * heartbeat watch; a launcher only starts processes (with the environment the cluster gives it),
 * says which executor ids may register, reports a process that ended, and stops what it started.
 */
public interface ExecutorLauncher {

    /** The environment variable holding an executor's id, which a launcher that starts copies of one environment sets per executor. */
    String EXECUTOR_ID_VARIABLE = ExecutorSettings.EXECUTOR_ID;

    /** What every executor of one driver needs, given to {@link #start} once the driver's server runs. */
    interface Spec {

        /** The driver's server, which executors connect to. */
        InetSocketAddress driverAddress();

        /**
         * The complete environment of executor {@code executorId} with scratch directory {@code scratchDir}:
         * its settings and the application secret (which never goes on a command line).
         */
        Map<String, String> environment(String executorId, String scratchDir);

        /** The directory a launcher of local processes makes their scratch directories in. */
        java.nio.file.Path localDir();
    }

    /** What a launcher tells its driver. Thread-safe; may be called from any thread. */
    interface Events {

        /** Executor {@code executorId} is about to start; only such an executor may register. */
        void expect(String executorId);

        /**
         * Executor {@code executorId} may register later, with any process id: a replacement the launcher
         * may start by itself, which the driver does not wait for.
         */
        void expectReplacement(String executorId);

        /** Executor {@code executorId} runs as process {@code pid}, or {@code -1} when the pid is only known once it registers. */
        void started(String executorId, long pid);

        /** No executor will come any more ({@code why}): the driver fails the tasks that wait for one. */
        void unavailable(String why);

        /** Executor {@code executorId}'s process ended ({@code why}); the driver removes it and, once registered, calls it lost. */
        void ended(String executorId, String why);
    }

    /** How many executors {@link #start} launches; the driver waits until that many registered. */
    int executors();

    /** Task slots of each executor. */
    int coresPerExecutor();

    /** How long the driver waits for the first executors to register, given the network timeout. */
    default long registrationTimeoutMs(long networkTimeoutMs) {
        return networkTimeoutMs;
    }

    /** Launches the executors; each first gets {@link Events#expect}, then {@link Events#started}. */
    void start(Spec spec, Events events) throws IOException;

    /**
     * Why one of {@code waiting} (started, not yet registered) will never register, such as its
     * process's exit status and last output, or null while each may still come.
     */
    String startFailure(Collection<String> waiting);

    /**
     * Why no executor will come any more (the YARN application ended, say), or null while executors may
     * still register: a task that finds no executor then fails at once instead of waiting.
     */
    default String unavailable() {
        return null;
    }

    /** What is known of executors that did not register in time (process id and last output, say). */
    String describe(Collection<String> waiting);

    /** Ends executor {@code executorId} now (its heartbeats stopped); {@link Events#ended} follows. */
    void kill(String executorId);

    /**
     * Called by the driver's close after it sent StopExecutor to every registered executor: waits up to
     * {@code graceMs} for them to exit by themselves, then ends what is left and deletes what it made for them.
     */
    void stopExecutors(long graceMs);

    /** Called last, after the driver's server closed: releases whatever else the launcher holds. */
    default void close() {
    }
}
