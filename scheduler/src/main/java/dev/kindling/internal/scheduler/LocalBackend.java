package dev.kindling.internal.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task attempts on a fixed pool of daemon executor threads in this JVM, named
 * {@code kindling-executor-<context>-<n>}. Tasks queue in FIFO order, so concurrent jobs share the
 * threads in submission order.
 */
public final class LocalBackend implements ExecutorBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ThreadPoolExecutor pool;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    /** Creates a backend with {@code threads} executor threads (at least 1). */
    public LocalBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("executor threads must be at least 1 (got " + threads + ")");
        }
        this.threads = threads;
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            // Threads stay in the set after they finish: shutdown must join a thread that has left
            // its run() but is not yet dead, or it could return while that thread is still alive.
            Thread t = new Thread(r, "kindling-executor-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            live.add(t);
            return t;
        });
        this.pool.prestartAllCoreThreads();
    }

    @Override
    public int parallelism() {
        return threads;
    }

    /**
     * Runs {@code attempt} on an executor thread. Whatever it throws (an {@link Error} included) is
     * logged, never lost silently in the returned future; the thread itself survives and runs the
     * next task.
     */
    @Override
    public Future<?> launch(Runnable attempt) {
        return pool.submit(() -> {
            try {
                attempt.run();
            } catch (Throwable t) {
                Throwables.warn(LOG, "A task attempt threw out of its runner on " + Thread.currentThread().getName()
                        + "; the executor thread goes on", t);
                throw t;
            }
        });
    }

    @Override
    public List<String> shutdown(long timeoutMillis) {
        pool.shutdownNow();
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
