package dev.kindling.shell.ui;

import dev.kindling.internal.eventlog.ApplicationInfo;
import dev.kindling.internal.eventlog.LoggedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskKilledException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the status UI knows about one application, built from its listener events: jobs, stage
 * attempts, tasks with their metrics, persisted RDDs, executors and the environment. Fed live (as a
 * listener of a running context) or by replaying an event log (the history server): the same events
 * give the same state.
 *
 * <p>Bounded, as Spark's {@code AppStatusListener}: it keeps every running job and stage, the last
 * {@link Limits#retainedJobs} finished jobs and {@link Limits#retainedStages} finished stage
 * attempts, and per stage attempt the last {@link Limits#retainedTasks} tasks (older finished ones
 * are dropped first, and counted). Totals and counts stay exact when entries are dropped.
 *
 * <p>Threading: listener methods run on the scheduler's event thread and only update maps and
 * counters (no I/O, no allocation beyond the new entry); pages and the REST API read on server
 * threads through {@link #read}, which holds the same lock, so they see a consistent state.
 */
final class StatusStore implements SchedulerListener {

    /** The executor id of tasks that run on the driver's threads (local mode). */
    static final String DRIVER = SchedulerEvent.TaskInfo.DRIVER;

    /**
     * How much the store keeps (Spark's {@code spark.ui.retained*} defaults are 1000, 1000, 100000).
     *
     * @param retainedJobs   finished jobs kept
     * @param retainedStages finished stage attempts kept
     * @param retainedTasks  tasks kept per stage attempt
     */
    record Limits(int retainedJobs, int retainedStages, int retainedTasks) {
        /** Spark's defaults. */
        static final Limits DEFAULT = new Limits(1000, 1000, 100_000);

        Limits {
            if (retainedJobs < 1 || retainedStages < 1 || retainedTasks < 1) {
                throw new IllegalArgumentException("kindling.ui.retainedJobs, retainedStages and retainedTasks must "
                        + "each be at least 1 (got " + retainedJobs + ", " + retainedStages + ", " + retainedTasks
                        + "); leave them unset for 1000, 1000 and 100000");
            }
        }
    }

    final Limits limits;
    final ApplicationInfo application;
    /** When the application ended (its context closed, or its log's end line), or -1. */
    long endTime = -1;
    /** For a replayed log: whether it was cut off before the application ended. */
    boolean incomplete;
    final Map<Integer, UiJob> jobs = new LinkedHashMap<>();
    final Map<Long, UiStage> stages = new LinkedHashMap<>();
    /** The stages each job may run, for the jobs of a stage attempt submitted later. */
    final Map<Integer, java.util.List<Integer>> jobsOfStage = new java.util.HashMap<>();
    /** Persisted RDDs seen in stage descriptions, by id (latest description). */
    final Map<Integer, SchedulerEvent.RddInfo> persistedRdds = new TreeMap<>();
    /**
     * Cached partitions held by executor processes ({@code BlockUpdated} events): rdd id -> partition ->
     * the executors holding it. Removed blocks, unpersisted RDDs and lost executors leave it.
     */
    final Map<Integer, Map<Integer, java.util.Set<String>>> executorBlocks = new TreeMap<>();
    /** Every executor seen, by id, in the order they joined; dead ones are kept (they are few). */
    final Map<String, UiExecutor> executors = new LinkedHashMap<>();
    /** Executors joining and leaving, in order, for the jobs timeline; at most {@link #MAX_EXECUTOR_EVENTS}. */
    final java.util.Deque<SchedulerEvent> executorEvents = new java.util.ArrayDeque<>();
    static final int MAX_EXECUTOR_EVENTS = 200;
    long droppedJobs;
    long droppedStages;
    private int finishedJobs;
    private int finishedStages;

    /** A store for {@code application}, whose tasks run on {@code driverCores} threads of the driver. */
    StatusStore(ApplicationInfo application, Limits limits, int driverCores) {
        this.application = application;
        this.limits = limits;
        UiExecutor driver = new UiExecutor(DRIVER);
        driver.cores = driverCores;
        executors.put(DRIVER, driver);
    }

    /** Runs {@code reader} holding the store's lock: a consistent view for one page or answer. */
    synchronized <T> T read(Supplier<T> reader) {
        return reader.get();
    }

    /**
     * Whether {@code e} is active: it has not left, and the application has not ended (a crashed
     * application's executors stay active, as in Spark's history server).
     */
    boolean isActive(UiExecutor e) {
        return e.removeTime < 0 && endTime < 0;
    }

    /** The executor row of {@code executorId}, made when a task names an executor no event announced. */
    private UiExecutor executor(String executorId) {
        return executors.computeIfAbsent(executorId == null || executorId.isEmpty() ? DRIVER : executorId, UiExecutor::new);
    }

    @Override
    public synchronized void onExecutorAdded(SchedulerEvent.ExecutorAdded event) {
        UiExecutor e = executor(event.executorId());
        e.hostPort = event.hostPort();
        e.cores = event.cores();
        e.addTime = event.time();
        e.removeTime = -1;
        e.removeReason = null;
        noteExecutorEvent(event);
    }

    @Override
    public synchronized void onBlockUpdated(SchedulerEvent.BlockUpdated event) {
        if (event.removed()) {
            Map<Integer, java.util.Set<String>> partitions = executorBlocks.get(event.rddId());
            if (partitions != null) {
                java.util.Set<String> holders = partitions.get(event.partition());
                if (holders != null && holders.remove(event.executorId()) && holders.isEmpty()) {
                    partitions.remove(event.partition());
                }
                if (partitions.isEmpty()) {
                    executorBlocks.remove(event.rddId());
                }
            }
        } else {
            executorBlocks.computeIfAbsent(event.rddId(), r -> new TreeMap<>())
                    .computeIfAbsent(event.partition(), p -> new java.util.TreeSet<>()).add(event.executorId());
        }
    }

    /** The cached partitions of RDD {@code rddId} held by executor processes, with their holders (a copy). */
    synchronized Map<Integer, java.util.List<String>> executorBlocks(int rddId) {
        Map<Integer, java.util.List<String>> out = new TreeMap<>();
        executorBlocks.getOrDefault(rddId, Map.of()).forEach((p, holders) -> out.put(p, java.util.List.copyOf(holders)));
        return out;
    }

    @Override
    public synchronized void onExecutorRemoved(SchedulerEvent.ExecutorRemoved event) {
        UiExecutor e = executor(event.executorId());
        executorBlocks.values().forEach(partitions -> partitions.values().removeIf(holders ->
                holders.remove(event.executorId()) && holders.isEmpty()));
        executorBlocks.values().removeIf(Map::isEmpty);
        e.removeTime = event.time();
        e.removeReason = event.reason();
        noteExecutorEvent(event);
    }

    private void noteExecutorEvent(SchedulerEvent event) {
        executorEvents.addLast(event);
        if (executorEvents.size() > MAX_EXECUTOR_EVENTS) {
            executorEvents.removeFirst();
        }
    }

    /** Records the application's end (its context closed). */
    synchronized void applicationEnded(long time) {
        endTime = time;
    }

    @Override
    public synchronized void onJobStart(SchedulerEvent.JobStart event) {
        UiJob job = new UiJob(event);
        jobs.put(job.jobId, job);
        for (int stageId : event.stageIds()) {
            jobsOfStage.computeIfAbsent(stageId, k -> new java.util.ArrayList<>(2)).add(job.jobId);
        }
        for (SchedulerEvent.StageInfo s : event.stageInfos()) {
            notePersisted(s);
        }
    }

    @Override
    public synchronized void onJobEnd(SchedulerEvent.JobEnd event) {
        UiJob job = jobs.get(event.jobId());
        if (job == null || job.finished()) {
            return;
        }
        job.completionTime = event.time();
        job.status = event.succeeded() ? "SUCCEEDED" : "FAILED";
        job.failure = event.failure() == null ? null : String.valueOf(event.failure());
        for (int stageId : job.stageIds) {
            java.util.List<Integer> ids = jobsOfStage.get(stageId);
            if (ids != null) {
                ids.remove((Integer) job.jobId);
                if (ids.isEmpty()) {
                    jobsOfStage.remove(stageId);
                }
            }
        }
        finishedJobs++;
        if (finishedJobs > limits.retainedJobs()) {
            for (Iterator<UiJob> it = jobs.values().iterator(); it.hasNext(); ) {
                if (it.next().finished()) {
                    it.remove();
                    finishedJobs--;
                    droppedJobs++;
                    break;
                }
            }
        }
    }

    @Override
    public synchronized void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
        SchedulerEvent.StageInfo info = event.stage();
        UiStage stage = new UiStage(info, event.time());
        java.util.List<Integer> ids = jobsOfStage.get(info.stageId());
        if (ids != null) {
            stage.jobIds.addAll(ids);
        }
        stages.put(UiStage.key(info.stageId(), info.attempt()), stage);
        notePersisted(info);
    }

    @Override
    public synchronized void onStageCompleted(SchedulerEvent.StageCompleted event) {
        UiStage stage = stages.get(UiStage.key(event.stage().stageId(), event.stage().attempt()));
        if (stage == null || stage.finished()) {
            return;
        }
        stage.completionTime = event.time();
        stage.failureReason = event.failureReason();
        stage.status = event.failureReason() == null ? "COMPLETE" : "FAILED";
        for (int jobId : stage.jobIds) {
            UiJob job = jobs.get(jobId);
            if (job != null) {
                if (stage.failureReason == null) {
                    job.completedStages++;
                } else {
                    job.failedStages++;
                }
            }
        }
        finishedStages++;
        if (finishedStages > limits.retainedStages()) {
            for (Iterator<UiStage> it = stages.values().iterator(); it.hasNext(); ) {
                if (it.next().finished()) {
                    it.remove();
                    finishedStages--;
                    droppedStages++;
                    break;
                }
            }
        }
    }

    @Override
    public synchronized void onTaskStart(SchedulerEvent.TaskStart event) {
        UiStage stage = stages.get(UiStage.key(event.stageId(), event.stageAttempt()));
        SchedulerEvent.TaskInfo t = event.task();
        UiExecutor executor = executor(t.executorId());
        executor.activeTasks++;
        if (stage == null) {
            return;
        }
        stage.activeTasks++;
        UiTask task = new UiTask(t.taskId(), t.partition(), t.attempt(), executor.id, t.executorThread(), event.time(),
                t.locality());
        task.host = executor.host();
        stage.tasks.put(t.taskId(), task);
        if (stage.tasks.size() > limits.retainedTasks()) {
            for (Iterator<UiTask> it = stage.tasks.values().iterator(); it.hasNext(); ) {
                if (it.next().finishTime >= 0) {
                    it.remove();
                    stage.droppedTasks++;
                    break;
                }
            }
        }
        for (int jobId : stage.jobIds) {
            UiJob job = jobs.get(jobId);
            if (job != null) {
                job.activeTasks++;
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SchedulerEvent.TaskEnd event) {
        String status = status(event.failure());
        UiExecutor executor = executor(event.task().executorId());
        executor.activeTasks = Math.max(0, executor.activeTasks - 1);
        count(status, executor);
        executor.totals.add(event.metrics());
        UiStage stage = stages.get(UiStage.key(event.stageId(), event.stageAttempt()));
        if (stage == null) {
            return;
        }
        UiTask task = stage.tasks.get(event.task().taskId());
        if (task != null) {
            task.finishTime = event.time();
            task.status = status;
            task.metrics = event.metrics();
            task.errorMessage = event.failure() == null ? null : String.valueOf(event.failure());
            executor.totalDuration += task.duration(event.time());
        }
        stage.activeTasks = Math.max(0, stage.activeTasks - 1);
        stage.totals.add(event.metrics());
        switch (status) {
            case "SUCCESS" -> stage.completedTasks++;
            case "KILLED" -> stage.killedTasks++;
            default -> stage.failedTasks++;
        }
        for (int jobId : stage.jobIds) {
            UiJob job = jobs.get(jobId);
            if (job != null) {
                job.activeTasks = Math.max(0, job.activeTasks - 1);
                switch (status) {
                    case "SUCCESS" -> job.completedTasks++;
                    case "KILLED" -> job.killedTasks++;
                    default -> job.failedTasks++;
                }
            }
        }
    }

    private static void count(String status, UiExecutor executor) {
        switch (status) {
            case "SUCCESS" -> executor.completedTasks++;
            case "KILLED" -> executor.killedTasks++;
            default -> executor.failedTasks++;
        }
    }

    /** SUCCESS, KILLED (the task was interrupted by a cancellation) or FAILED. */
    static String status(Throwable failure) {
        if (failure == null) {
            return "SUCCESS";
        }
        boolean killed = failure instanceof TaskKilledException
                || failure instanceof LoggedException l && l.className().equals(TaskKilledException.class.getName());
        return killed ? "KILLED" : "FAILED";
    }

    private void notePersisted(SchedulerEvent.StageInfo info) {
        for (SchedulerEvent.RddInfo rdd : info.rdds()) {
            if (rdd.cached()) {
                persistedRdds.put(rdd.id(), rdd);
            } else {
                persistedRdds.remove(rdd.id());
            }
        }
    }
}
