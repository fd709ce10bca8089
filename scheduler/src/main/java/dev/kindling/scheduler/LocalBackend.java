package dev.kindling.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs task attempts on a fixed pool of daemon executor threads in this JVM, named
 * {@code kindling-executor-<context>-<n>}. Tasks queue in FIFO order, so concurrent jobs share the
 * threads in submission order.
 */
public final class LocalBackend implements ExecutorBackend {

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
            Thread t = new Thread(() -> {
                live.add(Thread.currentThread());
                try {
                    r.run();
                } finally {
                    live.remove(Thread.currentThread());
                }
            }, "kindling-executor-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pool.prestartAllCoreThreads();
    }

    @Override
    public int parallelism() {
        return threads;
    }

    @Override
    public Future<?> launch(Runnable attempt) {
        return pool.submit(attempt);
    }

    @Override
    public List<String> shutdown(long timeoutMillis) {
        pool.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            // The pool reports termination just before each worker thread leaves its wrapper (and
            // the live set): wait for those last steps so they are not reported as stuck.
            for (Thread t : live) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> stuck = new ArrayList<>();
        for (Thread t : live) {
            stuck.add(t.getName());
        }
        return stuck;
    }
}
