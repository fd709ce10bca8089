package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobFailedException;
import dev.kindling.storage.NotRetryable;

import java.util.HashSet;
import java.util.Set;

/**
 * Builds, in one place, the exceptions that end a job: each message names the job, what failed
 * (stage, partition, attempts) and, where it helps, what to change; the original exception is kept
 * as the cause.
 */
final class JobFailures {

    private JobFailures() {
    }

    private static String job(ActiveJob job) {
        return "Job " + job.jobId + " (" + job.description + ")";
    }

    /** Planning the job's stages threw (a lineage method of the job's RDDs). */
    static JobFailedException planning(ActiveJob job, Throwable e) {
        return new JobFailedException(job.jobId, job(job) + " failed while planning its stages: "
                + Throwables.describe(e), e);
    }

    /** Submitting or resubmitting one of the job's stages threw (a lineage method, or the backend). */
    static JobFailedException scheduling(ActiveJob job, Stage stage, Throwable e) {
        return new JobFailedException(job.jobId, job(job) + " failed: scheduling stage " + stage.id + " ("
                + stage.name() + ") threw " + Throwables.describe(e), e);
    }

    /** The job's result handler threw for a partition. */
    static JobFailedException resultHandler(ActiveJob job, int partition, Throwable e) {
        return new JobFailedException(job.jobId, job(job) + " failed in its result handler for partition "
                + partition + ": " + Throwables.describe(e), e);
    }

    /** One partition of a stage failed {@code attempts} times, reaching {@code maxFailures}. */
    static JobFailedException taskFailures(ActiveJob job, Stage stage, int partition, int attempts, int maxFailures,
                                           Throwable last) {
        return new JobFailedException(job.jobId, job(job) + " aborted: stage " + stage.id + " (" + stage.name()
                + ") failed because a task kept failing: partition " + partition + " failed " + attempts
                + " time(s) (kindling.task.maxFailures=" + maxFailures + "); last failure: " + Throwables.describe(last),
                last);
    }

    /**
     * A task failed in a way that retrying cannot fix: {@code fatal} is the {@link OutOfMemoryError}
     * or {@link NotRetryable} exception found in the cause chain of {@code failure}. For an
     * OutOfMemoryError the message says which settings help; {@code memoryBudget} is the context's
     * memory budget in bytes (negative when unknown).
     */
    static JobFailedException notRetryable(ActiveJob job, Stage stage, int partition, Throwable fatal,
                                           Throwable failure, long memoryBudget) {
        if (fatal instanceof OutOfMemoryError) {
            long heap = Runtime.getRuntime().maxMemory();
            return new JobFailedException(job.jobId, job(job) + " aborted without retrying: a task ran out of heap "
                    + "memory (" + Throwables.describe(fatal) + ") in stage " + stage.id + " (" + stage.name()
                    + "), partition " + partition + "; a retry would fail the same way. The heap is " + mib(heap)
                    + (memoryBudget > 0 ? " and Kindling's memory budget " + mib(memoryBudget) : "") + ". To fix it: "
                    + "make Kindling spill earlier with a smaller kindling.memory.fraction or kindling.memory.bytes "
                    + "(if the task's own data structures are large), use more partitions so that each task holds "
                    + "less (e.g. a numPartitions argument, or repartition(n)), or give the JVM a bigger heap "
                    + "(-Xmx, e.g. KINDLING_JAVA_OPTS=-Xmx4g for bin/kindling)", failure);
        }
        return new JobFailedException(job.jobId, job(job) + " aborted without retrying: stage " + stage.id + " ("
                + stage.name() + "), partition " + partition + ": " + Throwables.describe(fatal), failure);
    }

    /** Handling one of the scheduler's events for the job threw; the scheduler fails the job and goes on. */
    static JobFailedException eventFailed(ActiveJob job, String event, Throwable e) {
        return new JobFailedException(job.jobId, job(job) + " failed: the scheduler's handling of " + event
                + " threw " + Throwables.describe(e) + "; the scheduler keeps running other jobs", e);
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /**
     * The first {@link OutOfMemoryError} or {@link NotRetryable} throwable in the cause chain of
     * {@code failure}, or null when retrying the task may help.
     */
    static Throwable notRetryableCause(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof OutOfMemoryError || c instanceof NotRetryable) {
                return c;
            }
        }
        return null;
    }

    /** A stage found its shuffle input missing {@code times} times in a row. */
    static JobFailedException lostShuffleInput(ActiveJob job, Stage stage, int partition, int times, Throwable last) {
        return new JobFailedException(job.jobId, job(job) + " aborted: stage " + stage.id + " (" + stage.name()
                + ") failed because shuffle output it reads kept going missing: " + times + " times in a row, last "
                + "seen by partition " + partition + " (the limit is " + DAGScheduler.MAX_CONSECUTIVE_FETCH_FAILURES
                + "); last failure: " + Throwables.describe(last), last);
    }

    /** The first throwable of {@code type} in the cause chain of {@code t}, or null. */
    static <T> T findCause(Throwable t, Class<T> type) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
