package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping of one {@link DAGScheduler} that its events change: the active jobs, the stages
 * waiting for parents and those running, the {@link StageGraph} and the {@link RunningAttempts}, with
 * the listener bus and output-commit coordinator that report on them. The scheduler's parts
 * ({@link JobEnds}, {@link StageSubmitter}, {@link TaskEnds}, {@link ExecutorEvents}) share this one
 * object.
 *
 * <p>Threading: confined to the scheduler's event thread, like every part that uses it; nothing here
 * is locked, and no other thread may read or change it (the public methods of {@link DAGScheduler}
 * post events instead).
 */
final class SchedulerState {

    /** The stages of the active jobs and their links. */
    final StageGraph graph;
    /** The jobs submitted and not ended, by id, in submission order. */
    final Map<Integer, ActiveJob> activeJobs = new LinkedHashMap<>();
    /** Stages waiting for missing parent stages. */
    final Set<Stage> waiting = new LinkedHashSet<>();
    /** Stages whose tasks were launched and that have not completed. */
    final Set<Stage> running = new LinkedHashSet<>();
    /** The launched task attempts that have not reported their end. */
    final RunningAttempts attempts;
    /** Where job, stage and task events go. */
    final ListenerBus bus;
    /** Which attempt of each task may commit its output. */
    final OutputCommitCoordinator commits;

    SchedulerState(StageGraph graph, RunningAttempts attempts, ListenerBus bus, OutputCommitCoordinator commits) {
        this.graph = graph;
        this.attempts = attempts;
        this.bus = bus;
        this.commits = commits;
    }

    /** An active job that needs {@code stage}, or null when none does any more. */
    ActiveJob anyJobOf(Stage stage) {
        for (int id : stage.jobIds) {
            ActiveJob job = activeJobs.get(id);
            if (job != null) {
                return job;
            }
        }
        return null;
    }

    /**
     * The description of {@code stage} that events carry. Its graph (the RDDs and parent stages) is
     * described once per stage attempt, as Spark does, not for every event: the job start (which
     * comes before the first attempt), the submission and the completion share one description.
     */
    SchedulerEvent.StageInfo stageInfo(Stage stage) {
        SchedulerEvent.StageInfo info = stage.described;
        if (info == null || Math.max(info.attempt(), 0) != Math.max(stage.attempt, 0)) {
            info = StageDescriber.describe(stage, graph::shuffleStage);
        } else if (info.attempt() != stage.attempt) { // the job start's description, now for attempt 0
            info = new SchedulerEvent.StageInfo(info.stageId(), stage.attempt, info.name(), info.numTasks(),
                    info.shuffleMap(), info.parentIds(), info.rdds());
        }
        stage.described = info;
        return info;
    }

    /**
     * Takes {@code stage} out of the running stages and, if it was running, tells listeners it
     * completed ({@code failure} null) or ended with {@code failure}.
     */
    void stopRunning(Stage stage, String failure) {
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), failure));
        }
    }

    /** The sizes of the internal maps (all zero when no job is active), for tests. */
    Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("activeJobs", activeJobs.size());
        sizes.put("stages", graph.size());
        sizes.put("shuffleStages", graph.shuffleStageCount());
        sizes.put("waitingStages", waiting.size());
        sizes.put("runningStages", running.size());
        sizes.put("taskAttempts", attempts.size());
        sizes.put("outputCommitStages", commits.stagesKnown());
        return sizes;
    }

    /** The wall-clock time that events carry. */
    static long now() {
        return System.currentTimeMillis();
    }
}
