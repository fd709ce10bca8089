package dev.kindling.internal.scheduler;

import java.util.concurrent.Future;

/**
 * Runs task attempts. The local backend is a pool of executor threads; a remote backend would ship
 * tasks to executor processes.
 */
public interface ExecutorBackend {

    /** Number of task attempts that can run at once. */
    int parallelism();

    /** Queues an attempt; cancelling the returned future with interruption kills it. */
    Future<?> launch(Runnable attempt);

    /**
     * Queues an attempt as {@link #launch(Runnable)} does; {@code description} names it in reports,
     * such as the task reaper's when a killed attempt keeps running.
     */
    default Future<?> launch(Runnable attempt, String description) {
        return launch(attempt);
    }

    /**
     * Stops accepting work, interrupts running attempts and waits up to {@code timeoutMillis} for
     * them; attempts that ignore interruption are reported and abandoned, never waited for forever.
     *
     * @return one entry per executor thread still running after the timeout: its name, optionally
     *     followed by where it is, e.g. {@code "kindling-executor-1-2 (at App.lambda$main$0(App.java:12))"}
     */
    java.util.List<String> shutdown(long timeoutMillis);
}
