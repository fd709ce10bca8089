package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A submitted job: wait for it, or cancel it. */
public final class JobHandle {

    private final int jobId;
    private final DAGScheduler scheduler;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    JobHandle(int jobId, DAGScheduler scheduler) {
        this.jobId = jobId;
        this.scheduler = scheduler;
    }

    /** The job's identifier. */
    public int jobId() {
        return jobId;
    }

    /** Whether the job has ended, successfully or not. */
    public boolean isDone() {
        return done.isDone();
    }

    /**
     * Waits for the job. If the waiting thread is interrupted, the job is cancelled.
     *
     * @throws JobFailedException if the job failed or was cancelled; its cause is the original error
     * @throws IllegalStateException if called on the scheduler's event thread (from a listener or a
     *     result handler), where waiting would deadlock; the job is then cancelled
     */
    public void await() {
        if (!done.isDone() && scheduler.isEventThread()) {
            cancel("it was waited for on the scheduler's event thread");
            throw new IllegalStateException("Job " + jobId + " cannot be waited for on the scheduler's event thread: "
                    + "a scheduler listener or result handler must not run jobs; hand the work to another thread");
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("the thread waiting for it was interrupted");
            throw new JobCancelledException(jobId, "the thread waiting for it was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JobFailedException failed) {
                throw failed;
            }
            throw new JobFailedException(jobId, "Job " + jobId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Asks the scheduler to cancel the job; running tasks are interrupted. */
    public void cancel(String reason) {
        scheduler.cancelJob(jobId, reason);
    }

    void succeed() {
        done.complete(null);
    }

    void fail(JobFailedException failure) {
        done.completeExceptionally(failure);
    }
}
