package dev.kindling.shell.ui;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage attempt as the status UI keeps it: its description and graph, status, task counts,
 * metric totals and its most recent {@code kindling.ui.retainedTasks} tasks. Written by
 * {@link StatusStore} under its lock.
 */
final class UiStage {

    final int stageId;
    final int attempt;
    final String name;
    final int numTasks;
    final boolean shuffleMap;
    final List<Integer> parentIds;
    final List<SchedulerEvent.RddInfo> rdds;
    final List<Integer> jobIds = new ArrayList<>();
    /** ACTIVE, COMPLETE or FAILED (Spark's stage status names). */
    String status = "ACTIVE";
    final long submissionTime;
    long completionTime = -1;
    String failureReason;
    int activeTasks;
    int completedTasks;
    int failedTasks;
    int killedTasks;
    /** Tasks dropped from {@link #tasks} to keep it within the limit. */
    long droppedTasks;
    final MetricTotals totals = new MetricTotals();
    /** Task attempts by task id, oldest first. */
    final Map<Long, UiTask> tasks = new LinkedHashMap<>();

    UiStage(SchedulerEvent.StageInfo info, long submissionTime) {
        this.stageId = info.stageId();
        this.attempt = info.attempt();
        this.name = info.name();
        this.numTasks = info.numTasks();
        this.shuffleMap = info.shuffleMap();
        this.parentIds = info.parentIds();
        this.rdds = info.rdds();
        this.submissionTime = submissionTime;
    }

    /** The key of a stage attempt in maps: stage id and attempt in one long. */
    static long key(int stageId, int attempt) {
        return ((long) stageId << 32) | (attempt & 0xffffffffL);
    }

    boolean finished() {
        return !status.equals("ACTIVE");
    }
}
