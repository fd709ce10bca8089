package dev.kindling.shell.ui;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.List;

/**
 * One job as the status UI keeps it: description, the stages it may run with their graph, status,
 * times and task counts. Written by {@link StatusStore} under its lock.
 */
final class UiJob {

    final int jobId;
    final String description;
    final String jobGroup;
    final List<Integer> stageIds;
    final List<SchedulerEvent.StageInfo> stageInfos;
    final long submissionTime;
    long completionTime = -1;
    /** RUNNING, SUCCEEDED or FAILED (Spark's JobExecutionStatus names). */
    String status = "RUNNING";
    String failure;
    int numTasks;
    int activeTasks;
    int completedTasks;
    int failedTasks;
    int killedTasks;
    int completedStages;
    int failedStages;

    UiJob(SchedulerEvent.JobStart start) {
        this.jobId = start.jobId();
        this.description = start.description();
        this.jobGroup = start.jobGroup();
        this.stageIds = start.stageIds();
        this.stageInfos = start.stageInfos();
        this.submissionTime = start.time();
        for (SchedulerEvent.StageInfo s : start.stageInfos()) {
            numTasks += s.numTasks();
        }
    }

    boolean finished() {
        return !status.equals("RUNNING");
    }
}
