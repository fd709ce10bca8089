package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.ExecutorLossFailure;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.shuffle.MissingShuffleOutputException;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link DAGScheduler} does when a task attempt ends: reports the end to listeners, hands a
 * result task's result to its job (finishing the job with its last partition), registers a map task's
 * output, tells the task outcome observers, and on failure retries the task, re-runs the map stage
 * whose output could not be read, or aborts the stage (see the failure rules in
 * {@link DAGScheduler}'s documentation).
 *
 * <p>Threading: every method runs on the scheduler's event thread, which owns the
 * {@link SchedulerState} this class changes; {@link RunningAttempts} posts each attempt's end there.
 */
final class TaskEnds {

    private static final Logger LOG = LoggerFactory.getLogger(DAGScheduler.class);

    private final SchedulerState state;
    private final JobEnds jobs;
    private final StageSubmitter stages;
    private final ExecutorBackend backend;
    private final MapOutputTracker tracker;
    /** Observers of successful attempts; may be added to from any thread. */
    private final List<TaskOutcomeObserver> observers;
    private final int maxTaskFailures;
    /** The context's memory budget in bytes, for error messages; -1 when the store has none. */
    private final long memoryBudget;

    TaskEnds(SchedulerState state, JobEnds jobs, StageSubmitter stages, ExecutorBackend backend, MapOutputTracker tracker,
             List<TaskOutcomeObserver> observers, int maxTaskFailures, long memoryBudget) {
        this.state = state;
        this.jobs = jobs;
        this.stages = stages;
        this.backend = backend;
        this.tracker = tracker;
        this.observers = observers;
        this.maxTaskFailures = maxTaskFailures;
        this.memoryBudget = memoryBudget;
    }

    /**
     * Handles the end of {@code attempt}: always reported to listeners; acted on only when the
     * attempt is still wanted and its stage still exists.
     */
    void taskEnded(TaskAttempt attempt, TaskOutcome outcome) {
        boolean live = RunningAttempts.isLive(attempt);
        Stage stage = attempt.stage;
        jobs.guarded(stage, () -> state.bus.post(new SchedulerEvent.TaskEnd(SchedulerState.now(), stage.id,
                attempt.stageAttempt, attempt.info(), outcome.metrics(), outcome.status(), outcome.failure())));
        if (outcome.failure() != null) {
            state.commits.taskFailed(stage.id, attempt.stageAttempt, attempt.partition, attempt.attemptNumber);
        }
        if (!live || !state.graph.isLive(stage)) {
            return;
        }
        jobs.guarded(stage, () -> {
            if (outcome.failure() == null) {
                taskSucceeded(attempt, stage, outcome);
            } else {
                taskFailed(attempt, stage, outcome.failure());
            }
        });
    }

    private void taskSucceeded(TaskAttempt attempt, Stage stage, TaskOutcome outcome) {
        Object result = outcome.result();
        if (stage instanceof Stage.Result rs) {
            ActiveJob job = rs.job;
            int index = job.indexOfPartition.get(attempt.partition);
            boolean first = !job.finished[index];
            notifyObservers(attempt, outcome, true, first);
            if (!first) {
                return;
            }
            job.finished[index] = true;
            job.numFinished++;
            try {
                job.handler.onResult(index, result);
            } catch (Throwable e) {
                jobs.finishJob(job, JobFailures.resultHandler(job, attempt.partition, e));
                return;
            }
            stage.pendingPartitions.remove(attempt.partition);
            if (job.numFinished == job.partitions.length) {
                stage.consecutiveFetchFailures = 0;
                state.running.remove(stage);
                state.bus.post(new SchedulerEvent.StageCompleted(SchedulerState.now(), state.stageInfo(stage), null));
                jobs.finishJob(job, null);
            }
        } else {
            Stage.ShuffleMap map = (Stage.ShuffleMap) stage;
            if (!(result instanceof MapStatus status)) {
                throw new IllegalStateException("Map task " + attempt.taskId + " of stage " + stage.id
                        + " returned " + result + " instead of a MapStatus");
            }
            tracker.registerMapOutput(map.dependency.shuffleId(), map.numTasks, attempt.partition, status);
            notifyObservers(attempt, outcome, false, true);
            stage.pendingPartitions.remove(attempt.partition);
            if (stage.pendingPartitions.isEmpty() && state.running.contains(stage)) {
                stage.consecutiveFetchFailures = 0;
                stages.stageFinished(stage);
            }
        }
    }

    private void notifyObservers(TaskAttempt attempt, TaskOutcome outcome, boolean resultTask, boolean firstSuccess) {
        if (outcome.accumulatorUpdates().isEmpty()) {
            return;
        }
        String task = "task " + attempt.taskId + " (stage " + attempt.stage.id + ", partition " + attempt.partition + ")";
        for (TaskOutcomeObserver o : observers) {
            try {
                o.onTaskSucceeded(outcome.accumulatorUpdates(), task, resultTask, firstSuccess);
            } catch (Throwable e) {
                Throwables.warn(LOG, "Task outcome observer " + o.getClass().getName() + " failed; ignoring", e);
            }
        }
    }

    private void taskFailed(TaskAttempt attempt, Stage stage, Throwable failure) {
        FetchFailedException fetch = JobFailures.findCause(failure, FetchFailedException.class);
        // Also the cause of a fetch failure on the reader's own executor: it names every output found missing.
        MissingShuffleOutputException missing = JobFailures.findCause(failure, MissingShuffleOutputException.class);
        if (fetch != null || missing != null) {
            shuffleInputLost(attempt, stage, failure, fetch, missing);
            return;
        }
        ExecutorLossFailure lost = JobFailures.findCause(failure, ExecutorLossFailure.class);
        if (lost != null && !lost.countsTowardTaskFailures()) {
            // Its executor died under it: not the task's fault (Spark's ExecutorLostFailure, exitCausedByApp=false).
            LOG.warn("Task {} (stage {}, partition {}, attempt {}) was lost with its executor; running it again (not "
                    + "counted toward kindling.task.maxFailures): {}", attempt.taskId, stage.id, attempt.partition,
                    attempt.attemptNumber, Throwables.describe(failure));
            retry(attempt, stage);
            return;
        }
        int failures = stage.failures.merge(attempt.partition, 1, Integer::sum);
        Throwable fatal = JobFailures.notRetryableCause(failure);
        if (fatal != null) {
            jobs.abortStage(stage, failure, job -> JobFailures.notRetryable(job, stage, attempt.partition, fatal, failure,
                    memoryBudget));
            return;
        }
        if (failures >= maxTaskFailures) {
            jobs.abortStage(stage, failure, job -> JobFailures.taskFailures(job, stage, attempt.partition, failures,
                    maxTaskFailures, failure));
            return;
        }
        LOG.warn("Task {} (stage {}, partition {}, attempt {}) failed; retrying ({} of {} attempts used): {}",
                attempt.taskId, stage.id, attempt.partition, attempt.attemptNumber, failures, maxTaskFailures,
                Throwables.describe(failure));
        retry(attempt, stage);
    }

    /**
     * A task could not read its shuffle input ({@code fetch} or {@code missing} is not null): forgets
     * the lost map outputs, then resubmits the stage (which re-runs the map stage first) or, after
     * {@link DAGScheduler#MAX_CONSECUTIVE_FETCH_FAILURES} such attempts in a row, aborts it.
     */
    private void shuffleInputLost(TaskAttempt attempt, Stage stage, Throwable failure, FetchFailedException fetch,
                                  MissingShuffleOutputException missing) {
        if (fetch != null && fetch.executorId() != null && !fetch.executorId().equals(attempt.executorId)) {
            lostShuffleServer(fetch);
        } else if (missing != null) {
            // Read on its own executor (which is alive: it ran the reader): forget only the outputs its
            // store found missing (all of them, so that one failed attempt has them all recomputed).
            for (int mapId : missing.mapIds()) {
                tracker.unregisterMapOutput(missing.shuffleId(), mapId, fetch == null ? null : fetch.executorId());
            }
        } else {
            tracker.unregisterMapOutput(fetch.shuffleId(), fetch.mapId(), fetch.executorId());
        }
        int times = ++stage.consecutiveFetchFailures;
        if (times >= DAGScheduler.MAX_CONSECUTIVE_FETCH_FAILURES) {
            jobs.abortStage(stage, failure, job -> JobFailures.lostShuffleInput(job, stage, attempt.partition, times,
                    failure));
            return;
        }
        LOG.info("Stage {} lost shuffle input ({}); re-running the map stage that produces it",
                stage.id, (fetch != null ? fetch : missing).getMessage());
        state.stopRunning(stage, "missing shuffle output");
        state.attempts.killAll(stage);
        ActiveJob job = state.anyJobOf(stage);
        if (job != null) {
            stages.submitStage(stage, job);
        }
    }

    /** Launches the next attempt of a failed task, if its stage still runs for a job. */
    private void retry(TaskAttempt attempt, Stage stage) {
        ActiveJob job = stage instanceof Stage.Result r ? r.job : state.anyJobOf(stage);
        if (job != null && state.running.contains(stage)) {
            state.attempts.launch(stage, attempt.partition, job);
        }
    }

    /**
     * A reduce task could not fetch map output from another executor: that executor's shuffle server is
     * taken to be gone (Spark's handling of a fetch failure without an external shuffle service), so every
     * map output it holds, of every shuffle, is forgotten at once (later stages re-run its map tasks
     * instead of failing on it one output at a time), and the backend is asked to check the executor
     * (and remove it as lost when it does not answer).
     */
    private void lostShuffleServer(FetchFailedException fetch) {
        String executorId = fetch.executorId();
        int forgotten = tracker.removeOutputsOnExecutor(executorId);
        LOG.info("A reduce task could not fetch from executor {}: forgot all {} map output(s) it held; asking the backend "
                + "to check it", executorId, forgotten);
        try {
            backend.checkExecutor(executorId, fetch.getMessage());
        } catch (RuntimeException e) {
            Throwables.warn(LOG, "Could not ask the backend to check executor " + executorId, e);
        }
    }
}
