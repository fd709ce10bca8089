package dev.kindling.shell.streaming;

import dev.kindling.SubprocessFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskKilledException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows a streaming job's tasks: prints Hadoop-style {@code map N% reduce M%} lines on stderr as
 * tasks finish, prints each failed attempt once (Hadoop's {@code Task Id : attempt_..., Status :
 * FAILED}, the error, and the last lines the command wrote to stderr), and counts launched and
 * failed attempts for the end-of-job report. Events arrive on
 * the scheduler's event thread, before the job's caller wakes up, so the counts are complete when
 * the job returns.
 */
final class StreamingProgress implements SchedulerListener {

    private final PrintStream err;
    private final String jobId;
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

    StreamingProgress(PrintStream err, String jobId, boolean mapOnly) {
        this.err = err;
        this.jobId = jobId;
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
            reportFailure(map, event);
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

    /** Prints a failed attempt: which, why, and its command's stderr (nothing for an attempt that was killed). */
    private void reportFailure(boolean map, SchedulerEvent.TaskEnd event) {
        Throwable failure = event.failure();
        if (find(failure, TaskKilledException.class) != null) {
            return;
        }
        StreamingTaskException task = find(failure, StreamingTaskException.class);
        SubprocessFailedException command = find(failure, SubprocessFailedException.class);
        String attempt = task != null ? task.attemptId()
                : StreamingTasks.attemptId(jobId, map ? "m" : "r", event.task().partition(), event.task().attempt());
        StringBuilder b = new StringBuilder("Task Id : ").append(attempt).append(", Status : FAILED\n")
                .append("Error: ").append(task != null ? task.reason() : String.valueOf(failure));
        if (command != null) {
            if (command.stderrTail().isEmpty()) {
                b.append("\n  (it wrote nothing to stderr)");
            } else {
                b.append("\nLast lines of its stderr:");
                command.stderrTail().forEach(l -> b.append("\n  ").append(l));
            }
        }
        err.println(b);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
