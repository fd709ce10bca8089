package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.TaskBinary;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Moves the jobs of a {@link DAGScheduler} forward stage by stage: plans a submitted job's stages,
 * submits a stage whose parents are complete (launching a task for each partition it is missing) or
 * makes it wait for them, and, when a stage completes, submits the stages that were waiting for it.
 *
 * <p>Threading: every method runs on the scheduler's event thread, which owns the
 * {@link SchedulerState} this class changes. Lineage methods called while planning are user code:
 * what they throw fails only the jobs concerned (through {@link JobEnds}).
 */
final class StageSubmitter {

    private final SchedulerState state;
    private final JobEnds jobs;
    private final ExecutorBackend backend;
    private final CachedBlockEvents cachedBlocks;

    StageSubmitter(SchedulerState state, JobEnds jobs, ExecutorBackend backend, CachedBlockEvents cachedBlocks) {
        this.state = state;
        this.jobs = jobs;
        this.backend = backend;
        this.cachedBlocks = cachedBlocks;
    }

    /** Registers a new job, tells listeners it started and submits its final stage. */
    void jobSubmitted(ActiveJob job) {
        state.activeJobs.put(job.jobId, job);
        boolean started = false;
        try {
            Stage.Result finalStage = state.graph.newResultStage(job);
            job.finalStage = finalStage;
            List<Integer> stageIds = job.partitions.length == 0 ? List.of() : state.graph.stageIdsToRun(finalStage, job);
            started = true;
            List<SchedulerEvent.StageInfo> stageInfos = new ArrayList<>();
            for (Stage s : job.stages) {
                if (stageIds.contains(s.id)) {
                    stageInfos.add(state.stageInfo(s));
                }
            }
            stageInfos.sort(Comparator.comparingInt(SchedulerEvent.StageInfo::stageId));
            state.bus.post(new SchedulerEvent.JobStart(SchedulerState.now(), job.jobId, job.description, job.jobGroup,
                    stageIds, List.copyOf(stageInfos)));
            if (job.partitions.length == 0) {
                // Nothing to compute: do not even look at the lineage, whose methods may be costly or throw.
                jobs.finishJob(job, null);
                return;
            }
            submitStage(finalStage, job);
        } catch (Throwable e) {
            if (state.activeJobs.containsKey(job.jobId)) {
                if (!started) {
                    state.bus.post(new SchedulerEvent.JobStart(SchedulerState.now(), job.jobId, job.description,
                            job.jobGroup, List.of()));
                }
                jobs.finishJob(job, JobFailures.planning(job, e));
            }
        }
    }

    /** Submits {@code stage} for {@code job} if its parents are complete, else its missing parents first. */
    void submitStage(Stage stage, ActiveJob job) {
        if (state.waiting.contains(stage) || state.running.contains(stage)) {
            return;
        }
        List<Stage> missing = state.graph.missingParents(stage, job);
        if (missing.isEmpty()) {
            submitMissingTasks(stage, job);
        } else {
            for (Stage parent : missing) {
                submitStage(parent, job);
            }
            state.waiting.add(stage);
        }
    }

    private void submitMissingTasks(Stage stage, ActiveJob job) {
        List<Integer> partitions = new ArrayList<>();
        if (stage instanceof Stage.ShuffleMap map) {
            for (int p : state.graph.missingOutputs(map)) {
                partitions.add(p);
            }
        } else {
            ActiveJob owner = ((Stage.Result) stage).job;
            for (int i = 0; i < owner.partitions.length; i++) {
                if (!owner.finished[i]) {
                    partitions.add(owner.partitions[i]);
                }
            }
        }
        if (partitions.isEmpty()) {
            stageFinished(stage);
            return;
        }
        setTaskBinary(stage); // may fail (not serializable) before the stage counts as submitted
        stage.attempt++;
        state.commits.stageStarted(stage.id);
        stage.pendingPartitions.clear();
        stage.pendingPartitions.addAll(partitions);
        state.running.add(stage);
        SchedulerEvent.StageInfo submitted = state.stageInfo(stage);
        cachedBlocks.described(submitted);
        state.bus.post(new SchedulerEvent.StageSubmitted(SchedulerState.now(), submitted));
        ActiveJob owner = stage instanceof Stage.Result r ? r.job : state.activeJobs.get(stage.firstJobId);
        for (int p : partitions) {
            state.attempts.launch(stage, p, owner == null ? job : owner);
        }
    }

    /**
     * Makes the binary of a new stage attempt: its lineage with the job's function or the shuffle
     * dependency, serialized once here (on the driver, so a function that cannot be serialized
     * fails the job before any task runs) when the backend sends tasks as bytes; the ids of the
     * broadcast and accumulator references written on the way (one in each broadcast handle and in
     * each accumulator's shipped copy) are the broadcasts and accumulators its tasks use.
     */
    private void setTaskBinary(Stage stage) {
        TaskBinary.Payload payload = stage instanceof Stage.ShuffleMap map
                ? new TaskBinary.ShuffleMapTask(stage.rdd, map.dependency, map.numTasks)
                : new TaskBinary.ResultTask(stage.rdd, ((Stage.Result) stage).job.function);
        if (!backend.serializesTasks()) {
            stage.binary = TaskBinary.of(payload);
            stage.broadcastIds = new long[0];
            stage.accumulatorIds = new long[0];
            return;
        }
        SortedSet<Long> broadcasts = new TreeSet<>();
        SortedSet<Long> accumulators = new TreeSet<>();
        stage.binary = TaskBinary.serialize(payload, o -> {
            if (o instanceof BroadcastReference b) {
                broadcasts.add(b.id());
            } else if (o instanceof AccumulatorReference a) {
                accumulators.add(a.id());
            }
        });
        stage.broadcastIds = broadcasts.stream().mapToLong(Long::longValue).toArray();
        stage.accumulatorIds = accumulators.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A stage has no pending partitions left: tells listeners it completed, and runs a map stage's
     * partitions again whose output was lost meanwhile, or else submits the stages waiting for it.
     */
    void stageFinished(Stage stage) {
        state.stopRunning(stage, null);
        if (stage instanceof Stage.ShuffleMap map && !state.graph.isAvailable(map)) {
            // Some output was lost while the stage ran: run the missing partitions again.
            ActiveJob job = state.anyJobOf(stage);
            if (job != null) {
                jobs.guarded(stage, () -> submitStage(stage, job));
            }
            return;
        }
        submitWaitingStages();
    }

    /**
     * Submits each waiting stage whose parents are all complete. For the others, makes sure every
     * missing parent is running or waiting itself: a parent whose output was lost after it finished
     * is neither, and the stage would otherwise wait forever.
     */
    void submitWaitingStages() {
        for (Stage w : new ArrayList<>(state.waiting)) {
            ActiveJob job = state.anyJobOf(w);
            if (!state.waiting.contains(w) || job == null) {
                continue; // submitted or dropped meanwhile (this loop re-enters through submitStage)
            }
            jobs.guarded(w, () -> {
                List<Stage> missing = state.graph.missingParents(w, job);
                if (missing.isEmpty()) {
                    state.waiting.remove(w);
                    submitMissingTasks(w, job);
                } else {
                    for (Stage parent : missing) {
                        submitStage(parent, job);
                    }
                }
            });
        }
    }
}
