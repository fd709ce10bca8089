package dev.kindling.shell.streaming;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows a streaming job's tasks: prints Hadoop-style {@code map N% reduce M%} lines on stderr as
 * tasks finish, and counts launched and failed attempts for the end-of-job report. Events arrive on
 * the scheduler's event thread, before the job's caller wakes up, so the counts are complete when
 * the job returns.
 */
final class StreamingProgress implements SchedulerListener {

    private final PrintStream err;
    private final boolean mapOnly;
    private final Map<Integer, Boolean> shuffleMapStages = new HashMap<>();
    private final Map<Integer, Integer> stageTasks = new HashMap<>();
    private final Set<String> doneMaps = new HashSet<>();
    private final Set<String> doneReduces = new HashSet<>();
    private int mapTasks;
    private int reduceTasks;
    long launchedMaps;
    long launchedReduces;
    long failedMaps;
    long failedReduces;
    private String last = "";

    StreamingProgress(PrintStream err, boolean mapOnly) {
        this.err = err;
        this.mapOnly = mapOnly;
    }

    private boolean isMap(int stageId) {
        return mapOnly || shuffleMapStages.getOrDefault(stageId, false);
    }

    @Override
    public synchronized void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        SchedulerEvent.StageInfo s = event.stage();
        shuffleMapStages.put(s.stageId(), s.shuffleMap());
        if (stageTasks.putIfAbsent(s.stageId(), s.numTasks()) == null) {
            if (isMap(s.stageId())) {
                mapTasks += s.numTasks();
            } else {
                reduceTasks += s.numTasks();
            }
        }
    }

    @Override
    public synchronized void onTaskStart(SchedulerEvent.TaskStart event) {
        if (isMap(event.stageId())) {
            launchedMaps++;
        } else {
            launchedReduces++;
        }
    }

    @Override
    public synchronized void onTaskEnd(SchedulerEvent.TaskEnd event) {
        boolean map = isMap(event.stageId());
        if (!event.succeeded()) {
            if (map) {
                failedMaps++;
            } else {
                failedReduces++;
            }
            return;
        }
        (map ? doneMaps : doneReduces).add(event.stageId() + "/" + event.task().partition());
        int mapPct = mapTasks == 0 ? 0 : 100 * doneMaps.size() / mapTasks;
        int reducePct = reduceTasks == 0 ? (mapOnly && mapPct == 100 ? 100 : 0) : 100 * doneReduces.size() / reduceTasks;
        String line = " map " + mapPct + "% reduce " + reducePct + "%";
        if (!line.equals(last)) {
            last = line;
            err.println(line);
        }
    }
}
