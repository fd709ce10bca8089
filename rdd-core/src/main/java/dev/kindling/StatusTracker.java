package dev.kindling;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskKilledException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Progress of a context's jobs and stages, as Spark's {@code JavaSparkStatusTracker}: the active job
 * and stage ids, the jobs of a job group, and each job's and stage's status and task counts. Get it
 * from {@link KindlingContext#statusTracker()}.
 *
 * <p>It is built on the scheduler's listener events, so what it says lags the tasks by at most the
 * events still queued; a job's end is recorded before the action that ran it returns. It keeps the
 * last {@value #RETAINED_JOBS} finished jobs and the last {@value #RETAINED_STAGES} finished stages
 * (Spark's {@code spark.ui.retainedJobs}/{@code retainedStages} defaults); older ones are unknown.
 * Active ones are always kept.
 *
 * <p>Thread safety: every method may be called from any thread; each answer is a consistent
 * snapshot.
 */
public final class StatusTracker {

    /** Finished jobs kept (Spark's {@code spark.ui.retainedJobs} default). */
    public static final int RETAINED_JOBS = 1000;
    /** Finished stages kept (Spark's {@code spark.ui.retainedStages} default). */
    public static final int RETAINED_STAGES = 1000;

    /** A job's status, as Spark's {@code JobExecutionStatus}. */
    public enum JobStatus {
        /** Submitted and not ended. */
        RUNNING,
        /** Ended successfully. */
        SUCCEEDED,
        /** Failed or was cancelled. */
        FAILED,
        /** Not determined (kept for parity with Spark; a job this tracker knows is never unknown). */
        UNKNOWN
    }

    /**
     * A job: its id, the stages it may run (map stages whose output already exists are skipped and
     * never submitted) and its status.
     */
    public record JobInfo(int jobId, List<Integer> stageIds, JobStatus status) {
    }

    /**
     * The latest attempt of a stage: its task count and how many of that attempt's tasks are running,
     * finished successfully and failed (killed tasks count as none of these once they end).
     */
    public record StageInfo(int stageId, int attemptNumber, String name, int numTasks, int numActiveTasks,
                            int numCompletedTasks, int numFailedTasks) {
    }

    private final int retainedJobs;
    private final int retainedStages;
    private final Map<Integer, Job> jobs = new LinkedHashMap<>();
    private final Map<Integer, Stage> stages = new LinkedHashMap<>();
    /** How many of {@link #jobs} and {@link #stages} are finished: trimming looks only when over the limit. */
    private int finishedJobs;
    private int finishedStages;
    private final SchedulerListener listener = new Listener();

    StatusTracker() {
        this(RETAINED_JOBS, RETAINED_STAGES);
    }

    /** For tests: a tracker keeping fewer finished jobs and stages. */
    StatusTracker(int retainedJobs, int retainedStages) {
        this.retainedJobs = retainedJobs;
        this.retainedStages = retainedStages;
    }

    /** The listener that feeds this tracker; registered by the context. */
    SchedulerListener listener() {
        return listener;
    }

    /** Ids of the jobs submitted and not yet ended, in ascending order. */
    public synchronized int[] getActiveJobIds() {
        return jobs.values().stream().filter(j -> j.status == JobStatus.RUNNING).mapToInt(j -> j.id).sorted().toArray();
    }

    /** Ids of the stages submitted and not yet ended, in ascending order. */
    public synchronized int[] getActiveStageIds() {
        return stages.values().stream().filter(s -> s.active).mapToInt(s -> s.id).sorted().toArray();
    }

    /**
     * Ids of the known jobs (running or retained) of job group {@code group}, in ascending order;
     * with null, of the jobs submitted without a group, as Spark.
     */
    public synchronized int[] getJobIdsForGroup(String group) {
        return jobs.values().stream().filter(j -> Objects.equals(group, j.group)).mapToInt(j -> j.id).sorted()
                .toArray();
    }

    /** The job {@code jobId}, or empty if it was never submitted or is no longer retained. */
    public synchronized Optional<JobInfo> getJobInfo(int jobId) {
        Job job = jobs.get(jobId);
        return job == null ? Optional.empty() : Optional.of(new JobInfo(job.id, job.stageIds, job.status));
    }

    /**
     * The latest attempt of stage {@code stageId}, or empty if the stage was never submitted (not yet,
     * or skipped because its output exists) or is no longer retained.
     */
    public synchronized Optional<StageInfo> getStageInfo(int stageId) {
        Stage s = stages.get(stageId);
        return s == null ? Optional.empty()
                : Optional.of(new StageInfo(s.id, s.attempt, s.name, s.numTasks, s.activeTasks, s.completedTasks,
                        s.failedTasks));
    }

    @Override
    public synchronized String toString() {
        return "StatusTracker[" + getActiveJobIds().length + " active jobs, " + getActiveStageIds().length
                + " active stages]";
    }

    private static final class Job {
        final int id;
        final String group;
        final List<Integer> stageIds;
        JobStatus status = JobStatus.RUNNING;

        Job(int id, String group, List<Integer> stageIds) {
            this.id = id;
            this.group = group;
            this.stageIds = List.copyOf(stageIds);
        }
    }

    private static final class Stage {
        final int id;
        int attempt;
        String name;
        int numTasks;
        boolean active;
        int activeTasks;
        int completedTasks;
        int failedTasks;

        Stage(int id) {
            this.id = id;
        }
    }

    /** Updates the tracker from scheduler events (on the scheduler's event thread). */
    private final class Listener implements SchedulerListener {
        @Override
        public void onJobStart(SchedulerEvent.JobStart event) {
            synchronized (StatusTracker.this) {
                jobs.put(event.jobId(), new Job(event.jobId(), event.jobGroup(), event.stageIds()));
            }
        }

        @Override
        public void onJobEnd(SchedulerEvent.JobEnd event) {
            synchronized (StatusTracker.this) {
                Job job = jobs.get(event.jobId());
                if (job != null && job.status == JobStatus.RUNNING) {
                    job.status = event.succeeded() ? JobStatus.SUCCEEDED : JobStatus.FAILED;
                    finishedJobs++;
                }
                finishedJobs = trim(jobs, finishedJobs, retainedJobs, j -> j.status != JobStatus.RUNNING);
            }
        }

        @Override
        public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
            synchronized (StatusTracker.this) {
                SchedulerEvent.StageInfo info = event.stage();
                Stage s = stages.remove(info.stageId()); // re-inserted: the order is that of the latest submission
                if (s == null) {
                    s = new Stage(info.stageId());
                } else if (!s.active) {
                    finishedStages--; // a finished stage submitted again (a new attempt)
                }
                s.attempt = info.attempt();
                s.name = info.name();
                s.numTasks = info.numTasks();
                s.active = true;
                s.activeTasks = 0;
                s.completedTasks = 0;
                s.failedTasks = 0;
                stages.put(s.id, s);
            }
        }

        @Override
        public void onStageCompleted(SchedulerEvent.StageCompleted event) {
            synchronized (StatusTracker.this) {
                Stage s = stages.get(event.stage().stageId());
                if (s != null && s.attempt == event.stage().attempt() && s.active) {
                    s.active = false;
                    finishedStages++;
                }
                finishedStages = trim(stages, finishedStages, retainedStages, st -> !st.active);
            }
        }

        @Override
        public void onTaskStart(SchedulerEvent.TaskStart event) {
            synchronized (StatusTracker.this) {
                Stage s = stages.get(event.stageId());
                if (s != null && s.attempt == event.stageAttempt()) {
                    s.activeTasks++;
                }
            }
        }

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            synchronized (StatusTracker.this) {
                Stage s = stages.get(event.stageId());
                if (s == null || s.attempt != event.stageAttempt()) {
                    return;
                }
                s.activeTasks = Math.max(0, s.activeTasks - 1);
                if (event.succeeded()) {
                    s.completedTasks++;
                } else if (!(event.failure() instanceof TaskKilledException)) {
                    s.failedTasks++;
                }
            }
        }
    }

    /**
     * Drops the oldest entries that {@code done} says are finished until at most {@code limit} of
     * those remain, given that {@code finished} of them are; returns how many remain. Walks the map
     * only when over the limit, and then only from its oldest end: no work per event otherwise.
     */
    private static <T> int trim(Map<Integer, T> map, int finished, int limit, java.util.function.Predicate<T> done) {
        for (Iterator<T> oldest = map.values().iterator(); finished > limit && oldest.hasNext(); ) {
            if (done.test(oldest.next())) {
                oldest.remove();
                finished--;
            }
        }
        return finished;
    }
}
