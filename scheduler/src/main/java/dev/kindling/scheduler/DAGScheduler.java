package dev.kindling.scheduler;

import dev.kindling.storage.shuffle.MissingShuffleOutputException;
import dev.kindling.storage.shuffle.ShuffleStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a job (a lineage node, the partitions wanted, a function per partition) into stages cut at
 * shuffle dependencies, runs each stage's tasks on the {@link ExecutorBackend}, retries failures and
 * reports events.
 *
 * <h2>Design</h2>
 * All scheduler state lives on one event thread ({@code kindling-dag-scheduler}); public methods
 * only post events to its queue, and task threads post their outcomes the same way. So no state is
 * shared and nothing is locked:
 * <pre>
 *  user threads --submit/cancel--> [event queue] <--task outcomes-- executor threads
 *                                        |
 *                                  event thread: stages, jobs, attempts, listeners
 * </pre>
 * A job's final stage waits for its missing parent shuffle-map stages; a map stage whose output is
 * already in the {@link ShuffleStore} (from an earlier job) is skipped. Map stages are shared by
 * concurrent jobs that need the same shuffle. When a job ends, every stage no other job needs is
 * dropped and its running attempts are killed, so no bookkeeping outlives its jobs.
 *
 * <h2>Review checklist</h2>
 * <ul>
 *   <li>Every path that ends a job goes through {@code finishJob} (cleanup + event + future).</li>
 *   <li>Outcomes of attempts whose stage is gone are ignored (but still reported as task ends).</li>
 *   <li>Driver-side user code (result handlers, lineage methods) runs inside try/catch that fails
 *       only the job concerned.</li>
 * </ul>
 */
public final class DAGScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DAGScheduler.class);

    /** Consecutive missing-shuffle-output failures after which a stage is aborted. */
    static final int MAX_CONSECUTIVE_FETCH_FAILURES = 4;

    private final ExecutorBackend backend;
    private final ShuffleStore shuffleStore;
    private final int maxTaskFailures;
    private final long shutdownTimeoutMillis;
    private final TaskClosure.Mode closureMode;
    private final ListenerBus bus = new ListenerBus();
    private final List<TaskOutcomeObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Thread eventThread;
    private final AtomicInteger nextJobId = new AtomicInteger();
    private final AtomicLong nextTaskId = new AtomicLong();
    private volatile boolean stopped;

    // ---- state owned by the event thread ----
    private int nextStageId;
    private final Map<Integer, ActiveJob> activeJobs = new LinkedHashMap<>();
    private final Map<Integer, Stage> stages = new HashMap<>();
    private final Map<Integer, Stage.ShuffleMap> shuffleStages = new HashMap<>();
    private final Set<Stage> waiting = new LinkedHashSet<>();
    private final Set<Stage> running = new LinkedHashSet<>();
    private final Map<Long, TaskAttempt> attempts = new HashMap<>();

    /**
     * Creates a scheduler and starts its event thread.
     *
     * @param maxTaskFailures       attempts per task before its job fails (at least 1)
     * @param shutdownTimeoutMillis how long {@link #close()} waits for running tasks
     */
    public DAGScheduler(ExecutorBackend backend, ShuffleStore shuffleStore, int maxTaskFailures,
                        long shutdownTimeoutMillis) {
        this(backend, shuffleStore, maxTaskFailures, shutdownTimeoutMillis, TaskClosure.Mode.COPY);
    }

    /**
     * Creates a scheduler and starts its event thread.
     *
     * @param maxTaskFailures       attempts per task before its job fails (at least 1)
     * @param shutdownTimeoutMillis how long {@link #close()} waits for running tasks
     * @param closureMode           whether each task attempt gets its own deserialized copy of the
     *                              functions it runs ({@link TaskClosure})
     */
    public DAGScheduler(ExecutorBackend backend, ShuffleStore shuffleStore, int maxTaskFailures,
                        long shutdownTimeoutMillis, TaskClosure.Mode closureMode) {
        this.closureMode = Objects.requireNonNull(closureMode, "closureMode");
        if (maxTaskFailures < 1) {
            throw new IllegalArgumentException("kindling.task.maxFailures must be at least 1 (got " + maxTaskFailures + ")");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shuffleStore = Objects.requireNonNull(shuffleStore, "shuffleStore");
        this.maxTaskFailures = maxTaskFailures;
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
        this.eventThread = new Thread(this::eventLoop, "kindling-dag-scheduler");
        this.eventThread.setDaemon(true);
        this.eventThread.start();
    }

    // =====================================================================================
    // Public API: everything posts to the event thread.
    // =====================================================================================

    /** Number of task attempts that can run at once. */
    public int parallelism() {
        return backend.parallelism();
    }

    /** Registers a listener for job, stage and task events. */
    public void addListener(SchedulerListener listener) {
        bus.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addListener}. */
    public void removeListener(SchedulerListener listener) {
        bus.remove(listener);
    }

    /** Registers an observer of successful attempts (used for accumulators). */
    public void addTaskOutcomeObserver(TaskOutcomeObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Submits a job computing {@code partitions} of {@code rdd} with {@code function}; results go to
     * {@code handler} on the event thread. Returns at once.
     */
    public <R> JobHandle submitJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                                   String description, String jobGroup) {
        int jobId = nextJobId.getAndIncrement();
        JobHandle handle = new JobHandle(jobId, this);
        ActiveJob job = new ActiveJob(jobId, rdd, partitions.clone(), function, handler, description, jobGroup, handle);
        if (stopped) {
            handle.fail(new JobCancelledException(jobId, "the context is closed"));
            return handle;
        }
        post(() -> handleJobSubmitted(job));
        return handle;
    }

    /** Submits a job and waits for it. */
    public <R> void runJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                           String description, String jobGroup) {
        submitJob(rdd, partitions, function, handler, description, jobGroup).await();
    }

    /** Cancels one job. */
    public void cancelJob(int jobId, String reason) {
        post(() -> {
            ActiveJob job = activeJobs.get(jobId);
            if (job != null) {
                finishJob(job, new JobCancelledException(jobId, reason));
            }
        });
    }

    /** Cancels every active job of a job group. */
    public void cancelJobGroup(String group, String reason) {
        post(() -> {
            for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
                if (Objects.equals(group, job.jobGroup)) {
                    finishJob(job, new JobCancelledException(job.jobId, reason));
                }
            }
        });
    }

    /** Cancels every active job. */
    public void cancelAllJobs(String reason) {
        post(() -> {
            for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
                finishJob(job, new JobCancelledException(job.jobId, reason));
            }
        });
    }

    /**
     * Returns, from the event thread, the sizes of the scheduler's internal maps: all zero when no
     * job is active. Tests assert on it, as Spark's DAGSchedulerSuite does.
     */
    public Map<String, Integer> internalStateSizes() {
        CompletableFuture<Map<String, Integer>> result = new CompletableFuture<>();
        post(() -> {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            sizes.put("activeJobs", activeJobs.size());
            sizes.put("stages", stages.size());
            sizes.put("shuffleStages", shuffleStages.size());
            sizes.put("waitingStages", waiting.size());
            sizes.put("runningStages", running.size());
            sizes.put("taskAttempts", attempts.size());
            result.complete(sizes);
        });
        if (stopped) {
            return Map.of();
        }
        return result.join();
    }

    /** Cancels all jobs, stops the event thread and the executor threads. Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        post(() -> {
            for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
                finishJob(job, new JobCancelledException(job.jobId, "the context is closing"));
            }
            stopped = true;
            drained.complete(null);
        });
        drained.join();
        List<String> stuck = backend.shutdown(shutdownTimeoutMillis);
        if (!stuck.isEmpty()) {
            LOG.warn("{} executor thread(s) ignored interruption and were still running {} ms after close: {}. "
                    + "They are daemon threads and are abandoned; make long-running task code check "
                    + "Thread.interrupted() or TaskContext.isKilled().", stuck.size(), shutdownTimeoutMillis, stuck);
        }
        eventThread.interrupt();
        try {
            eventThread.join(shutdownTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Runnable event) {
        events.add(event);
    }

    private void eventLoop() {
        while (true) {
            Runnable event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
                continue;
            }
            try {
                event.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Scheduler event failed; the scheduler keeps running", e);
            }
        }
    }

    // =====================================================================================
    // Event handlers (event thread only).
    // =====================================================================================

    private void handleJobSubmitted(ActiveJob job) {
        if (stopped) {
            job.handle.fail(new JobCancelledException(job.jobId, "the context is closed"));
            return;
        }
        activeJobs.put(job.jobId, job);
        try {
            Stage.Result finalStage = new Stage.Result(nextStageId++, job.rdd, job);
            job.finalStage = finalStage;
            register(finalStage, job);
            List<Integer> stageIds = new ArrayList<>();
            collectStageIds(finalStage, job, stageIds);
            bus.post(new SchedulerEvent.JobStart(now(), job.jobId, job.description, job.jobGroup, stageIds));
            if (job.partitions.length == 0) {
                finishJob(job, null);
                return;
            }
            submitStage(finalStage, job);
        } catch (RuntimeException | Error e) {
            if (activeJobs.containsKey(job.jobId)) {
                bus.post(new SchedulerEvent.JobStart(now(), job.jobId, job.description, job.jobGroup, List.of()));
                finishJob(job, new JobFailedException(job.jobId, "Job " + job.jobId + " (" + job.description
                        + ") failed while planning its stages: " + e, e));
            }
        }
    }

    private void register(Stage stage, ActiveJob job) {
        stages.put(stage.id, stage);
        stage.jobIds.add(job.jobId);
        job.stages.add(stage);
    }

    /** Lists the ids of the stages a job may run (for the job-start event). */
    private void collectStageIds(Stage root, ActiveJob job, List<Integer> out) {
        Deque<Stage> todo = new ArrayDeque<>();
        Set<Stage> seen = new HashSet<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Stage s = todo.pop();
            if (seen.add(s)) {
                out.add(s.id);
                todo.addAll(missingParents(s, job));
            }
        }
        out.sort(Comparator.naturalOrder());
    }

    private Stage.ShuffleMap shuffleStage(ShuffleDependency dep, ActiveJob job) {
        Stage.ShuffleMap stage = shuffleStages.get(dep.shuffleId());
        if (stage == null) {
            stage = new Stage.ShuffleMap(nextStageId++, dep, job.jobId);
            shuffleStages.put(dep.shuffleId(), stage);
        }
        register(stage, job);
        return stage;
    }

    private boolean isAvailable(Stage.ShuffleMap stage) {
        return shuffleStore.missingMapOutputs(stage.dependency.shuffleId(), stage.numTasks).length == 0;
    }

    /**
     * Walks the narrow lineage of {@code stage} back to its shuffle dependencies and returns the map
     * stages whose output is not complete. Iterative, so deep lineages cannot overflow the stack.
     */
    private List<Stage> missingParents(Stage stage, ActiveJob job) {
        List<Stage> missing = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Lineage> todo = new ArrayDeque<>();
        todo.push(stage.rdd);
        while (!todo.isEmpty()) {
            Lineage rdd = todo.pop();
            if (!visited.add(rdd.id())) {
                continue;
            }
            for (Dependency dep : rdd.dependencies()) {
                if (dep instanceof ShuffleDependency shuffle) {
                    Stage.ShuffleMap parent = shuffleStage(shuffle, job);
                    if (!isAvailable(parent) && !missing.contains(parent)) {
                        missing.add(parent);
                    }
                } else {
                    todo.push(dep.parent());
                }
            }
        }
        return missing;
    }

    private void submitStage(Stage stage, ActiveJob job) {
        if (waiting.contains(stage) || running.contains(stage)) {
            return;
        }
        List<Stage> missing = missingParents(stage, job);
        if (missing.isEmpty()) {
            submitMissingTasks(stage, job);
        } else {
            for (Stage parent : missing) {
                submitStage(parent, job);
            }
            waiting.add(stage);
        }
    }

    private void submitMissingTasks(Stage stage, ActiveJob job) {
        List<Integer> partitions = new ArrayList<>();
        if (stage instanceof Stage.ShuffleMap map) {
            for (int p : shuffleStore.missingMapOutputs(map.dependency.shuffleId(), map.numTasks)) {
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
        stage.attempt++;
        stage.pendingPartitions.clear();
        stage.pendingPartitions.addAll(partitions);
        running.add(stage);
        bus.post(new SchedulerEvent.StageSubmitted(now(), stageInfo(stage)));
        ActiveJob owner = stage instanceof Stage.Result r ? r.job : activeJobs.get(stage.firstJobId);
        for (int p : partitions) {
            launch(stage, p, stage.failures.getOrDefault(p, 0), owner == null ? job : owner);
        }
    }

    private void launch(Stage stage, int partition, int attemptNumber, ActiveJob job) {
        TaskAttempt attempt = new TaskAttempt(nextTaskId.getAndIncrement(), stage, partition, attemptNumber, job);
        attempt.context.setClosureMode(closureMode);
        attempts.put(attempt.taskId, attempt);
        attempt.future = backend.launch(() -> runAttempt(attempt));
    }

    private SchedulerEvent.StageInfo stageInfo(Stage stage) {
        return new SchedulerEvent.StageInfo(stage.id, stage.attempt, stage.name(), stage.numTasks,
                stage instanceof Stage.ShuffleMap);
    }

    private void stageFinished(Stage stage) {
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), null));
        }
        if (stage instanceof Stage.ShuffleMap map && !isAvailable(map)) {
            // Some output was lost while the stage ran: run the missing partitions again.
            ActiveJob job = anyJobOf(stage);
            if (job != null) {
                submitStage(stage, job);
            }
            return;
        }
        List<Stage> ready = new ArrayList<>();
        for (Stage w : waiting) {
            ActiveJob job = anyJobOf(w);
            if (job != null && missingParents(w, job).isEmpty()) {
                ready.add(w);
            }
        }
        for (Stage w : ready) {
            waiting.remove(w);
            ActiveJob job = anyJobOf(w);
            submitMissingTasks(w, job);
        }
    }

    private ActiveJob anyJobOf(Stage stage) {
        for (int id : stage.jobIds) {
            ActiveJob job = activeJobs.get(id);
            if (job != null) {
                return job;
            }
        }
        return null;
    }

    // ---- task outcomes ----

    private void runAttempt(TaskAttempt attempt) {
        attempt.thread = Thread.currentThread().getName();
        post(() -> {
            if (attempts.containsKey(attempt.taskId)) {
                bus.post(new SchedulerEvent.TaskStart(now(), attempt.stage.id, attempt.stageAttempt, attempt.info()));
            }
        });
        TaskRunner.Outcome outcome = TaskRunner.run(attempt, shuffleStore);
        post(() -> handleTaskEnd(attempt, outcome));
    }

    private void handleTaskEnd(TaskAttempt attempt, TaskRunner.Outcome outcome) {
        boolean live = attempts.remove(attempt.taskId) != null;
        bus.post(new SchedulerEvent.TaskEnd(now(), attempt.stage.id, attempt.stageAttempt, attempt.info(),
                attempt.context.metrics(), attempt.context.status(), outcome.failure()));
        Stage stage = attempt.stage;
        if (!live || !stages.containsKey(stage.id) || stages.get(stage.id) != stage) {
            return;
        }
        if (outcome.failure() == null) {
            taskSucceeded(attempt, stage, outcome.result());
        } else {
            taskFailed(attempt, stage, outcome.failure());
        }
    }

    private void taskSucceeded(TaskAttempt attempt, Stage stage, Object result) {
        if (stage instanceof Stage.Result rs) {
            ActiveJob job = rs.job;
            int index = job.indexOfPartition.get(attempt.partition);
            boolean first = !job.finished[index];
            notifyObservers(attempt.context, true, first);
            if (!first) {
                return;
            }
            job.finished[index] = true;
            job.numFinished++;
            try {
                job.handler.onResult(index, result);
            } catch (Throwable e) {
                finishJob(job, new JobFailedException(job.jobId, "Job " + job.jobId + " (" + job.description
                        + ") failed in its result handler for partition " + attempt.partition + ": " + e, e));
                return;
            }
            stage.pendingPartitions.remove(attempt.partition);
            if (job.numFinished == job.partitions.length) {
                stage.consecutiveFetchFailures = 0;
                running.remove(stage);
                bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), null));
                finishJob(job, null);
            }
        } else {
            notifyObservers(attempt.context, false, true);
            stage.pendingPartitions.remove(attempt.partition);
            if (stage.pendingPartitions.isEmpty() && running.contains(stage)) {
                stage.consecutiveFetchFailures = 0;
                stageFinished(stage);
            }
        }
    }

    private void notifyObservers(TaskContext context, boolean resultTask, boolean firstSuccess) {
        for (TaskOutcomeObserver o : observers) {
            try {
                o.onTaskSucceeded(context, resultTask, firstSuccess);
            } catch (RuntimeException e) {
                LOG.warn("Task outcome observer failed; ignoring", e);
            }
        }
    }

    private void taskFailed(TaskAttempt attempt, Stage stage, Throwable failure) {
        MissingShuffleOutputException missing = findCause(failure, MissingShuffleOutputException.class);
        if (missing != null) {
            if (++stage.consecutiveFetchFailures > MAX_CONSECUTIVE_FETCH_FAILURES) {
                abortStage(stage, attempt.partition, stage.consecutiveFetchFailures, failure,
                        "shuffle output it reads kept going missing");
                return;
            }
            LOG.info("Stage {} lost shuffle input ({}); re-running the map stage that produces it",
                    stage.id, missing.getMessage());
            if (running.remove(stage)) {
                bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), "missing shuffle output"));
            }
            killAttemptsOf(stage);
            ActiveJob job = anyJobOf(stage);
            if (job != null) {
                submitStage(stage, job);
            }
            return;
        }
        int failures = stage.failures.merge(attempt.partition, 1, Integer::sum);
        if (failures >= maxTaskFailures) {
            abortStage(stage, attempt.partition, failures, failure, "a task kept failing");
            return;
        }
        LOG.warn("Task {} (stage {}, partition {}, attempt {}) failed; retrying ({} of {} attempts used): {}",
                attempt.taskId, stage.id, attempt.partition, attempt.attemptNumber, failures, maxTaskFailures,
                failure.toString());
        ActiveJob job = stage instanceof Stage.Result r ? r.job : anyJobOf(stage);
        if (job != null && running.contains(stage)) {
            launch(stage, attempt.partition, failures, job);
        }
    }

    private void abortStage(Stage stage, int partition, int attemptsMade, Throwable cause, String why) {
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), String.valueOf(cause)));
        }
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            if (job.stages.contains(stage)) {
                String message = "Job " + job.jobId + " (" + job.description + ") aborted: stage " + stage.id + " ("
                        + stage.name() + ") failed because " + why + ": partition " + partition + " failed "
                        + attemptsMade + " time(s) (kindling.task.maxFailures=" + maxTaskFailures
                        + "); last failure: " + cause;
                finishJob(job, new JobFailedException(job.jobId, message, cause));
            }
        }
    }

    /** Ends a job (successfully when {@code failure} is null) and drops the stages only it needed. */
    private void finishJob(ActiveJob job, JobFailedException failure) {
        if (activeJobs.remove(job.jobId) == null) {
            return;
        }
        for (Stage stage : job.stages) {
            stage.jobIds.remove(job.jobId);
            if (stage.jobIds.isEmpty()) {
                if (running.remove(stage) && failure != null) {
                    bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), "job " + job.jobId + " ended: "
                            + failure.getMessage()));
                }
                waiting.remove(stage);
                stages.remove(stage.id);
                if (stage instanceof Stage.ShuffleMap map && shuffleStages.get(map.dependency.shuffleId()) == map) {
                    shuffleStages.remove(map.dependency.shuffleId());
                }
                killAttemptsOf(stage);
            }
        }
        bus.post(new SchedulerEvent.JobEnd(now(), job.jobId, failure));
        if (failure == null) {
            job.handle.succeed();
        } else {
            job.handle.fail(failure);
        }
    }

    private void killAttemptsOf(Stage stage) {
        for (Iterator<TaskAttempt> it = attempts.values().iterator(); it.hasNext(); ) {
            TaskAttempt a = it.next();
            if (a.stage == stage) {
                it.remove();
                a.context.kill();
                if (a.future != null) {
                    a.future.cancel(true);
                }
            }
        }
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
