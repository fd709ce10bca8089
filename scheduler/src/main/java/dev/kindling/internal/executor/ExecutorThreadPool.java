package dev.kindling.internal.executor;

import dev.kindling.internal.scheduler.Throwables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task slots of an {@link Executor}: a fixed number of daemon executor threads, named
 * {@code kindling-executor-<pool>-<n>}. Tasks queue in FIFO order, so concurrent jobs share the
 * threads in submission order.
 *
 * <p>A killed attempt whose thread does not finish within the reaper's polling interval (its code
 * ignores interruption) is reported by a {@link TaskReaper}, and its slot goes to a fresh thread:
 * the stuck thread leaves the pool when its attempt finally returns, so the pool is back to
 * {@link #parallelism()} threads, and later jobs never wait behind it.
 */
public final class ExecutorThreadPool {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorThreadPool.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final int poolId = POOLS.incrementAndGet();
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final BlockingQueue<Attempt> queue = new LinkedBlockingQueue<>();
    /**
     * Every executor thread started. Threads stay in the set after they finish: shutdown must join a
     * thread that has left its loop but is not yet dead, or it could return while that thread is alive.
     */
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final TaskReaper reaper;
    private volatile boolean stopped;

    /** Creates a pool of {@code threads} executor threads (at least 1) and the default reaper settings. */
    public ExecutorThreadPool(int threads) {
        this(threads, TaskReaper.DEFAULT_POLLING_MILLIS, 0);
    }

    /**
     * Creates a pool of {@code threads} executor threads (at least 1).
     *
     * @param reaperPollingMillis     how long after a kill, and then how often, an attempt that is still
     *                                running is reported; at the first report its slot goes to a new thread
     * @param reaperKillTimeoutMillis after how long such an attempt is logged as an error; 0 for never
     */
    public ExecutorThreadPool(int threads, long reaperPollingMillis, long reaperKillTimeoutMillis) {
        if (threads < 1) {
            throw new IllegalArgumentException("executor threads must be at least 1 (got " + threads + ")");
        }
        this.threads = threads;
        this.reaper = new TaskReaper("kindling-task-reaper-" + poolId, reaperPollingMillis, reaperKillTimeoutMillis);
        for (int i = 0; i < threads; i++) {
            startThread();
        }
    }

    /** The default of {@code kindling.task.reaper.pollingIntervalMs}, in milliseconds. */
    public static long defaultReaperPollingMillis() {
        return TaskReaper.DEFAULT_POLLING_MILLIS;
    }

    /** Number of task attempts that can run at once. */
    public int parallelism() {
        return threads;
    }

    /** Runs {@code attempt} on an executor thread, as {@link #submit(Runnable, String)} does. */
    public Future<?> submit(Runnable attempt) {
        return submit(attempt, "task attempt");
    }

    /**
     * Queues {@code attempt} for an executor thread (FIFO); cancelling the returned future with
     * interruption kills it. Whatever it throws (an {@link Error} included) is logged, never lost
     * silently in the returned future; the thread itself survives and runs the next task.
     * {@code description} names the attempt in reports, such as the task reaper's when a killed
     * attempt keeps running.
     */
    public Future<?> submit(Runnable attempt, String description) {
        Attempt task = new Attempt(() -> {
            try {
                attempt.run();
            } catch (Throwable t) {
                Throwables.warn(LOG, "A task attempt threw out of its runner on " + Thread.currentThread().getName()
                        + "; the executor thread goes on", t);
                throw t;
            }
        }, description);
        if (stopped) {
            task.cancel(false);
        } else {
            queue.add(task);
        }
        return task;
    }

    private void startThread() {
        Thread t = new Thread(this::work, "kindling-executor-" + poolId + "-" + threadNumbers.incrementAndGet());
        t.setDaemon(true);
        live.add(t);
        t.start();
    }

    /** An executor thread's loop: runs queued attempts until shutdown, or until its slot was handed over. */
    private void work() {
        while (!stopped) {
            Attempt task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // a kill that came late, or shutdown (checked by the loop)
            }
            task.run();
            if (!task.keepsSlot()) {
                return; // the reaper gave this thread's slot to a new one while the attempt was stuck
            }
        }
    }

    /** A queued attempt: a future whose cancellation with interruption hands it to the reaper. */
    private final class Attempt extends FutureTask<Void> implements TaskReaper.KilledTask {
        private static final int RUNNING = 0;
        private static final int HANDED_OVER = 1;
        private static final int ENDED = 2;

        private final String description;
        private final AtomicInteger slot = new AtomicInteger(RUNNING);
        private volatile Thread runner;

        Attempt(Runnable body, String description) {
            super(body, null);
            this.description = description;
        }

        @Override
        public void run() {
            runner = Thread.currentThread();
            try {
                super.run();
            } finally {
                runner = null;
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Thread thread = runner;
            if (cancelled && mayInterruptIfRunning && thread != null) {
                reaper.watch(this, thread);
            }
            return cancelled;
        }

        /** Called by the executor thread after the attempt returned: whether the thread keeps its slot. */
        boolean keepsSlot() {
            return slot.getAndSet(ENDED) != HANDED_OVER;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public boolean hasEnded() {
            return slot.get() == ENDED || (runner == null && isDone());
        }

        @Override
        public void handOverSlot() {
            if (slot.compareAndSet(RUNNING, HANDED_OVER) && !stopped) {
                startThread();
            }
        }
    }

    /**
     * Stops accepting work, interrupts running attempts and waits up to {@code timeoutMillis} for
     * them; attempts that ignore interruption are reported and abandoned, never waited for forever.
     *
     * @return one entry per executor thread still running after the timeout: its name, optionally
     *     followed by where it is, e.g. {@code "kindling-executor-1-2 (at App.lambda$main$0(App.java:12))"}
     */
    public List<String> shutdown(long timeoutMillis) {
        stopped = true;
        reaper.shutdown();
        for (Attempt queued = queue.poll(); queued != null; queued = queue.poll()) {
            queued.cancel(false);
        }
        for (Thread t : live) {
            t.interrupt();
        }
        // Wait for the threads themselves, not only the pool: a thread that has left its last task
        // but not yet exited must not be reported as stuck, and close() should leave no thread behind.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        List<String> stuck = new ArrayList<>();
        for (Thread t : live) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (leftMillis > 0) {
                    t.join(leftMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadline = System.nanoTime(); // stop waiting; report what is still alive
            }
            if (t.isAlive()) {
                StackTraceElement[] stack = t.getStackTrace();
                stuck.add(t.getName() + (stack.length == 0 ? "" : " (at " + stack[0] + ")"));
            }
        }
        return stuck;
    }
}
