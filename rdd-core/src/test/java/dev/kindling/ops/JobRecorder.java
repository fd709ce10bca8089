package dev.kindling.ops;

import dev.kindling.KindlingContext;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Records the scheduler events of a context, so a test can ask how many jobs ran, which stages
 * were submitted and which partitions each stage's tasks computed. The scheduler delivers a job's
 * events before the job's action returns, so counts are complete once the action is back.
 */
final class JobRecorder implements SchedulerListener {

    private final List<SchedulerEvent.JobStart> jobs = new ArrayList<>();
    private final List<SchedulerEvent.StageSubmitted> stages = new ArrayList<>();
    private final List<SchedulerEvent.TaskStart> tasks = new ArrayList<>();

    /** Creates a recorder and registers it with {@code kc}. */
    static JobRecorder on(KindlingContext kc) {
        JobRecorder recorder = new JobRecorder();
        kc.addListener(recorder);
        return recorder;
    }

    @Override
    public synchronized void onJobStart(SchedulerEvent.JobStart event) {
        jobs.add(event);
    }

    @Override
    public synchronized void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        stages.add(event);
    }

    @Override
    public synchronized void onTaskStart(SchedulerEvent.TaskStart event) {
        tasks.add(event);
    }

    /** Number of jobs started so far. */
    synchronized int jobCount() {
        return jobs.size();
    }

    /** The descriptions of the jobs started so far, in order (the call site unless one was set). */
    synchronized List<String> jobDescriptions() {
        return jobs.stream().map(SchedulerEvent.JobStart::description).collect(Collectors.toList());
    }

    /** Stage attempts submitted so far, in order. */
    synchronized List<SchedulerEvent.StageInfo> stages() {
        return stages.stream().map(SchedulerEvent.StageSubmitted::stage).collect(Collectors.toList());
    }

    /** Number of shuffle-map stage attempts submitted so far. */
    synchronized long shuffleMapStageCount() {
        return stages().stream().filter(SchedulerEvent.StageInfo::shuffleMap).count();
    }

    /** Number of task attempts started by shuffle-map stages. */
    synchronized long shuffleMapTaskCount() {
        List<Integer> mapStages = stages().stream().filter(SchedulerEvent.StageInfo::shuffleMap)
                .map(SchedulerEvent.StageInfo::stageId).collect(Collectors.toList());
        return tasks.stream().filter(t -> mapStages.contains(t.stageId())).count();
    }

    /** For each stage submitted, in order, the partitions its tasks computed (in start order). */
    synchronized List<List<Integer>> partitionsPerStage() {
        List<List<Integer>> out = new ArrayList<>();
        for (SchedulerEvent.StageSubmitted s : stages) {
            int id = s.stage().stageId();
            out.add(tasks.stream().filter(t -> t.stageId() == id).map(t -> t.task().partition())
                    .sorted().collect(Collectors.toList()));
        }
        return out;
    }

    /** Forgets everything recorded so far. */
    synchronized void reset() {
        jobs.clear();
        stages.clear();
        tasks.clear();
    }
}
