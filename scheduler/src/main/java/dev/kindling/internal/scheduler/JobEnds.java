package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every way a job of a {@link DAGScheduler} ends: it succeeds, it is cancelled (alone, with its job
 * group, or with all jobs), a stage it needs is aborted, or an event concerning it throws. All of
 * them go through {@link #finishJob}, which drops the stages no other job needs, kills their attempts,
 * tells listeners and releases the job's waiter.
 *
 * <p>Threading: every method runs on the scheduler's event thread, which owns the
 * {@link SchedulerState} this class changes; the public cancel methods of {@link DAGScheduler} post
 * events that call in here.
 */
final class JobEnds {

    private static final Logger LOG = LoggerFactory.getLogger(DAGScheduler.class);

    private final SchedulerState state;

    JobEnds(SchedulerState state) {
        this.state = state;
    }

    /**
     * Ends a job (successfully when {@code failure} is null) and drops the stages only it needed. The
     * job's waiter is released even if the cleanup throws. Nothing when the job ended already.
     */
    void finishJob(ActiveJob job, JobFailedException failure) {
        if (state.activeJobs.remove(job.jobId) == null) {
            return;
        }
        try {
            for (Stage stage : job.stages) {
                stage.jobIds.remove(job.jobId);
                if (stage.jobIds.isEmpty()) {
                    state.stopRunning(stage, "no longer needed: job " + job.jobId
                            + (failure == null ? " finished" : " ended: " + failure.getMessage()));
                    state.waiting.remove(stage);
                    state.graph.drop(stage);
                    state.commits.stageEnded(stage.id);
                    state.attempts.killAll(stage);
                }
            }
            state.bus.post(new SchedulerEvent.JobEnd(SchedulerState.now(), job.jobId, failure));
        } finally {
            if (failure == null) {
                job.handle.succeed();
            } else {
                job.handle.fail(failure);
            }
        }
    }

    /** Fails a job after an event concerning it threw; releases its waiter even if the cleanup throws again. */
    void failJob(ActiveJob job, JobFailedException failure) {
        if (!state.activeJobs.containsKey(job.jobId)) {
            job.handle.fail(failure); // not registered yet (or already ended: then a no-op)
            return;
        }
        finishJob(job, failure);
    }

    /**
     * The event loop's fallback when an event without a handler of its own threw (or its handler
     * did): the scheduler's state may be inconsistent, so every active job fails with the throwable as
     * cause; the loop keeps running for new jobs.
     */
    void failAllJobs(Throwable e) {
        for (ActiveJob job : new ArrayList<>(state.activeJobs.values())) {
            try {
                failJob(job, JobFailures.eventFailed(job, "an event", e));
            } catch (Throwable again) {
                job.handle.fail(JobFailures.eventFailed(job, "an event", e));
            }
        }
    }

    /** Cancels job {@code jobId} if it is still active. */
    void cancelJob(int jobId, String reason) {
        ActiveJob job = state.activeJobs.get(jobId);
        if (job != null) {
            finishJob(job, new JobCancelledException(jobId, reason));
        }
    }

    /** Fails job {@code jobId}, if it is still active, after its cancellation event threw {@code e}. */
    void cancellationFailed(int jobId, Throwable e) {
        ActiveJob job = state.activeJobs.get(jobId);
        if (job != null) {
            failJob(job, JobFailures.eventFailed(job, "its cancellation", e));
        }
    }

    /** Cancels every active job of job group {@code group} (not null). */
    void cancelJobGroup(String group, String reason) {
        for (ActiveJob job : new ArrayList<>(state.activeJobs.values())) {
            if (group.equals(job.jobGroup)) {
                finishJob(job, new JobCancelledException(job.jobId, reason));
            }
        }
    }

    /** Cancels every active job. */
    void cancelAllJobs(String reason) {
        for (ActiveJob job : new ArrayList<>(state.activeJobs.values())) {
            finishJob(job, new JobCancelledException(job.jobId, reason));
        }
    }

    /** Fails every job that needs {@code stage} with the exception {@code failure} builds for it. */
    void abortStage(Stage stage, Throwable cause, Function<ActiveJob, JobFailedException> failure) {
        state.stopRunning(stage, Throwables.describe(cause));
        for (ActiveJob job : new ArrayList<>(state.activeJobs.values())) {
            if (job.stages.contains(stage)) {
                finishJob(job, failure.apply(job));
            }
        }
    }

    /**
     * Runs scheduling work for {@code stage}; if it throws (lineage methods are user code), fails the
     * jobs that need the stage rather than leaving them waiting.
     */
    void guarded(Stage stage, Runnable work) {
        try {
            work.run();
        } catch (Throwable e) {
            Throwables.warn(LOG, "Scheduling stage " + stage.id + " (" + stage.name() + ") failed; failing the jobs "
                    + "that need it", e);
            abortStage(stage, e, job -> JobFailures.scheduling(job, stage, e));
        }
    }
}
