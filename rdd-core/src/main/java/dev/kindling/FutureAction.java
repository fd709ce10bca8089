package dev.kindling;

import dev.kindling.internal.scheduler.JobHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The result of an asynchronous action ({@link RDD#countAsync()}, {@link RDD#collectAsync()},
 * {@link RDD#foreachAsync}, {@link RDD#takeAsync}), as Spark's {@code JavaFutureAction}: a
 * {@link Future} whose {@link #cancel(boolean)} cancels the action's running and later jobs, and
 * which names them with {@link #jobIds()}.
 *
 * <p>The action runs the synchronous action on a thread of its own, started by the calling thread
 * (so it begins with a copy of the caller's local properties and job group). As Spark's,
 * {@link #get()} waits until the action's thread has ended; after a successful {@code cancel} it
 * then throws {@link CancellationException}, whose cause is the job's {@code JobCancelledException}
 * when a job was cancelled.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class FutureAction<T> implements Future<T> {

    private static final ThreadLocal<FutureAction<?>> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Object lock = new Object();
    private final List<JobHandle> jobs = new ArrayList<>();
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private volatile boolean cancelled;

    private FutureAction() {
    }

    /** Starts {@code action} (a synchronous action called {@code name}) on a new driver thread. */
    static <T> FutureAction<T> start(String name, Callable<T> action) {
        NestedRddOperationException.checkDriver("running", name);
        FutureAction<T> future = new FutureAction<>();
        Thread thread = new Thread(() -> future.run(action), "kindling-" + name + "-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    private void run(Callable<T> action) {
        CURRENT.set(this);
        try {
            if (cancelled) {
                outcome.completeExceptionally(new CancellationException("the action was cancelled before it started"));
            } else {
                outcome.complete(action.call());
            }
        } catch (Throwable e) {
            outcome.completeExceptionally(e);
        } finally {
            CURRENT.remove();
        }
    }

    /** The asynchronous action running on the calling thread, or null: its jobs are reported to it. */
    static FutureAction<?> current() {
        return CURRENT.get();
    }

    /** Records a job of the action as soon as it exists, before its tasks can start. */
    void jobCreated(JobHandle job) {
        synchronized (lock) {
            jobs.add(job);
        }
    }

    /**
     * After the job was submitted: cancels it if the action was cancelled meanwhile (a cancel between
     * {@link #jobCreated} and the submission may have reached the scheduler before the job did).
     */
    void jobSubmitted(JobHandle job) {
        synchronized (lock) {
            if (!jobs.contains(job)) {
                jobs.add(job);
            }
            if (cancelled) {
                job.cancel("its FutureAction was cancelled");
            }
        }
    }

    /** The ids of the jobs this action has submitted so far, in order (Spark's {@code jobIds()}). */
    public List<Integer> jobIds() {
        synchronized (lock) {
            List<Integer> ids = new ArrayList<>(jobs.size());
            for (JobHandle job : jobs) {
                ids.add(job.jobId());
            }
            return ids;
        }
    }

    /**
     * Cancels the action: its running job is cancelled (its tasks are interrupted and see
     * {@code TaskContext.isKilled()}) and it submits no further job. Whether or not
     * {@code mayInterruptIfRunning} is set, as Spark's. Returns false if the action had already
     * ended or been cancelled.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (lock) {
            if (cancelled || outcome.isDone()) {
                return false;
            }
            cancelled = true;
            for (JobHandle job : jobs) {
                job.cancel("its FutureAction was cancelled");
            }
            return true;
        }
    }

    /** Whether {@link #cancel} succeeded. */
    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the action ended (successfully or not) or was cancelled. */
    @Override
    public boolean isDone() {
        return cancelled || outcome.isDone();
    }

    /**
     * Waits for the action and returns its result.
     *
     * @throws CancellationException if the action was cancelled (after its thread has ended)
     * @throws ExecutionException if the action failed; its cause is the action's exception
     *     (a {@code JobFailedException} whose cause is the task's original error)
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        try {
            return outcome(outcome.get());
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    /** As {@link #get()}, waiting at most {@code timeout}; {@link TimeoutException} if the action is still running. */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return outcome(outcome.get(timeout, unit));
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    private T outcome(T value) {
        if (cancelled) {
            throw new CancellationException("the action was cancelled");
        }
        return value;
    }

    private ExecutionException failure(ExecutionException e) {
        if (cancelled) {
            CancellationException c = new CancellationException("the action was cancelled: " + e.getCause());
            c.initCause(e.getCause());
            throw c;
        }
        return e;
    }

    @Override
    public String toString() {
        return "FutureAction[jobs=" + jobIds() + (cancelled ? ", cancelled" : outcome.isDone() ? ", done" : "") + "]";
    }
}
