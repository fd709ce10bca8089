package dev.kindling.internal.executor;

import dev.kindling.internal.scheduler.Throwables;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches task attempts that were killed but whose thread has not finished, as Spark's task reaper
 * does. Every polling interval after a kill it checks the attempt; while it still runs:
 * <ol>
 *   <li>it logs a WARN naming the attempt and its thread, with the thread's stack trace;</li>
 *   <li>after the first report it hands the attempt's executor slot to a fresh thread
 *       ({@link KilledTask#handOverSlot()}), so later jobs run at once; the stuck thread is
 *       abandoned as a daemon and ends when its code returns;</li>
 *   <li>once the kill timeout (if any) has passed, it logs an ERROR, once. In local mode the JVM is
 *       the user's application, so it is never exited.</li>
 * </ol>
 * When a reported attempt finally ends, an INFO says so. An attempt that ends within the first
 * interval is never reported.
 *
 * <p>Threading: {@link #watch} may be called from any thread; checks run on one daemon thread,
 * {@code kindling-task-reaper-<pool>}, started at the first kill.
 */
final class TaskReaper {

    /** Default of {@code kindling.task.reaper.pollingIntervalMs}. */
    static final long DEFAULT_POLLING_MILLIS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(TaskReaper.class);

    /** A killed attempt as the reaper sees it. */
    interface KilledTask {
        /** Names the attempt for the log, e.g. {@code "task 5 (stage 1, partition 0, attempt 0) of job 3"}. */
        String description();

        /** Whether the attempt's code has returned. */
        boolean hasEnded();

        /** Gives the attempt's executor slot to a new thread; its own thread ends when the attempt does. */
        void handOverSlot();
    }

    private final String threadName;
    private final long pollingMillis;
    private final long killTimeoutMillis;
    private ScheduledExecutorService timer;
    private boolean stopped;

    /**
     * @param pollingMillis     how long after a kill, and then how often, a still-running attempt is
     *                          reported (at least 1)
     * @param killTimeoutMillis after how long an ERROR is logged; 0 for never
     */
    TaskReaper(String threadName, long pollingMillis, long killTimeoutMillis) {
        if (pollingMillis < 1) {
            throw new IllegalArgumentException("kindling.task.reaper.pollingIntervalMs must be at least 1 (got "
                    + pollingMillis + ")");
        }
        if (killTimeoutMillis < 0) {
            throw new IllegalArgumentException("kindling.task.reaper.killTimeoutMs must be 0 (no timeout) or positive "
                    + "(got " + killTimeoutMillis + ")");
        }
        this.threadName = threadName;
        this.pollingMillis = pollingMillis;
        this.killTimeoutMillis = killTimeoutMillis;
    }

    /** Starts watching {@code task}, which was just killed while running on {@code thread}. */
    synchronized void watch(KilledTask task, Thread thread) {
        if (stopped) {
            return;
        }
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread daemon = new Thread(r, threadName);
                daemon.setDaemon(true);
                return daemon;
            });
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        schedule(new Watch(task, thread, System.nanoTime()));
    }

    /** Stops watching; attempts still stuck are reported by the backend's shutdown instead. */
    synchronized void shutdown() {
        stopped = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private synchronized void schedule(Watch watch) {
        if (!stopped) {
            timer.schedule(watch, pollingMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The state of one watched attempt; runs on the reaper thread once per interval. */
    private final class Watch implements Runnable {
        private final KilledTask task;
        private final Thread thread;
        private final long killedAt;
        private int reports;
        private boolean timeoutReported;

        Watch(KilledTask task, Thread thread, long killedAt) {
            this.task = task;
            this.thread = thread;
            this.killedAt = killedAt;
        }

        @Override
        public void run() {
            try {
                check();
            } catch (Throwable e) {
                // A logging failure must not stop the watch of this attempt (or of the others).
                Throwables.warn(LOG, "The task reaper failed checking killed " + task.description(), e);
                schedule(this);
            }
        }

        private void check() {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            if (task.hasEnded()) {
                if (reports > 0) {
                    LOG.info("Killed {} finished on {} {} ms after it was killed; its thread ends", task.description(),
                            thread.getName(), elapsed);
                }
                return;
            }
            boolean first = reports++ == 0;
            LOG.warn("Killed {} is still running on {} {} ms after it was killed: its code ignores interruption "
                            + "(make long-running task code check TaskContext.isKilled() or Thread.interrupted()). {}"
                            + "The thread is abandoned as a daemon and reported every {} ms until it ends. Its stack:{}",
                    task.description(), thread.getName(), elapsed,
                    first ? "Its executor slot now goes to a new thread, so later tasks do not wait for it. " : "",
                    pollingMillis, stackOf(thread));
            if (first) {
                task.handOverSlot(); // after the report, so whoever sees the next task run can read it
            }
            if (killTimeoutMillis > 0 && elapsed >= killTimeoutMillis && !timeoutReported) {
                timeoutReported = true;
                LOG.error("Killed {} is still running on {} after kindling.task.reaper.killTimeoutMs={} ms. In local "
                                + "mode Kindling never stops the JVM (it runs your application): the thread keeps its CPU "
                                + "and memory until its code returns or the JVM exits; fix the task code or restart.",
                        task.description(), thread.getName(), killTimeoutMillis);
            }
            schedule(this);
        }
    }

    private static String stackOf(Thread thread) {
        StringBuilder out = new StringBuilder();
        for (StackTraceElement e : thread.getStackTrace()) {
            out.append(System.lineSeparator()).append("\tat ").append(e);
        }
        return out.length() == 0 ? " (not available)" : out.toString();
    }
}
