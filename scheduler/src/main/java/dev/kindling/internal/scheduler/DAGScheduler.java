package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.shuffle.MissingShuffleOutputException;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.ExecutorLossFailure;
import dev.kindling.internal.scheduler.backend.TaskBinary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a job (a lineage node, the partitions wanted, a function per partition) into stages cut at
 * shuffle dependencies, runs each stage's tasks on the {@link ExecutorBackend}, retries failures and
 * reports events.
 *
 * <h2>Design</h2>
 * All scheduler state lives on one event thread ({@code kindling-dag-scheduler-<n>}, see
 * {@link EventLoop}); public methods only post events to its queue, and task threads post their
 * outcomes the same way. So no state is shared and nothing is locked:
 * <pre>
 *  user threads --submit/cancel--> [event queue] <--task outcomes-- executor threads
 *                                        |
 *                                  event thread: stages, jobs, attempts, listeners
 * </pre>
 * A job's final stage waits for its missing parent shuffle-map stages; a map stage whose outputs are
 * all registered with the {@link MapOutputTracker} (from an earlier job) is skipped. Map stages are shared by
 * concurrent jobs that need the same shuffle. When a job ends, every stage no other job needs is
 * dropped and its running attempts are killed, so no bookkeeping outlives its jobs.
 * {@link StageGraph} holds the stages and their links, {@link RunningAttempts} the launched task
 * attempts; this class holds jobs and waiting and running stages, and reacts to events.
 *
 * <p>Failures: a task that throws is retried (a new attempt number) until one partition has failed
 * {@code maxTaskFailures} times, which aborts the stage and fails its jobs. A failure that a retry
 * cannot fix (an {@link OutOfMemoryError} or a {@link dev.kindling.storage.NotRetryable} exception in
 * its cause chain) fails the jobs at once; for an OutOfMemoryError the message names the stage and
 * the settings that help. An event handler that throws (user code on the event thread, or a bug)
 * fails the jobs it concerns, never the event thread. A task that cannot read its shuffle input (a
 * {@link FetchFailedException}, or a store's {@link MissingShuffleOutputException}) does not count as
 * failed: the map stage that makes the lost output is re-run (only its missing partitions) and the
 * reading stage resubmitted; the {@link #MAX_CONSECUTIVE_FETCH_FAILURES}th such attempt in a row aborts
 * the stage. What is forgotten: a failed fetch from another executor forgets every map output that
 * executor holds, of every shuffle, and asks the backend to check it ({@link ExecutorBackend#checkExecutor});
 * outputs missing on the reader's own executor, only those (its store names every one it found missing). {@link #executorLost} unregisters all
 * of an executor's outputs (see the package documentation). A task whose executor died under it
 * ({@link ExecutorLossFailure} that does not count) runs again without counting toward
 * {@code maxTaskFailures}.
 *
 * <h2>Review checklist</h2>
 * <ul>
 *   <li>Every path that ends a job goes through {@code finishJob} (cleanup + event + future).</li>
 *   <li>Outcomes of attempts whose stage is gone are ignored (but still reported as task ends).</li>
 *   <li>Driver-side user code (result handlers, lineage methods, listeners, observers) runs inside
 *       try/catch that fails only the job concerned; no exception may leave a job waiting forever.</li>
 *   <li>Every launched attempt that starts running posts exactly one outcome, whatever it throws.</li>
 *   <li>A stage waits only for parents that are running or waiting themselves (else it would hang).</li>
 *   <li>Anything posted after close either runs or has its waiter completed by the poster.</li>
 *   <li>Attempt numbers are unique per stage and partition (a killed attempt may still be running).</li>
 *   <li>Killing an attempt sets its context's kill flag before interrupting its thread; a task clears
 *       stray interrupts when it starts, so a late interrupt cannot kill the next task.</li>
 * </ul>
 */
public final class DAGScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DAGScheduler.class);

    /**
     * Consecutive attempts of a stage that fail to fetch their shuffle input after which it is
     * aborted (Spark's {@code spark.stage.maxConsecutiveAttempts} default).
     */
    static final int MAX_CONSECUTIVE_FETCH_FAILURES = 4;

    /** Numbers the event threads of the schedulers in this JVM. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ExecutorBackend backend;
    private final MapOutputTracker tracker;
    private final int maxTaskFailures;
    private final long shutdownTimeoutMillis;
    private final TaskClosure.Mode closureMode;
    private final OutputCommitCoordinator commits;
    private final ListenerBus bus = new ListenerBus();
    private final List<TaskOutcomeObserver> observers = new CopyOnWriteArrayList<>();
    private final EventLoop loop;
    private final AtomicInteger nextJobId = new AtomicInteger();
    /** The context's memory budget in bytes, for error messages; -1 when the store has none. */
    private final long memoryBudget;
    private volatile boolean stopped;

    // ---- state owned by the event thread ----
    private final StageGraph graph;
    private final Map<Integer, ActiveJob> activeJobs = new LinkedHashMap<>();
    private final Set<Stage> waiting = new LinkedHashSet<>();
    private final Set<Stage> running = new LinkedHashSet<>();
    private final RunningAttempts attempts;
    /** The executors announced to listeners and not removed, by id. */
    private final Map<String, SchedulerEvent.ExecutorAdded> executors = new LinkedHashMap<>();
    private final CachedBlockEvents cachedBlocks = new CachedBlockEvents();

    /**
     * Creates a scheduler that registers map outputs with {@code tracker} (which the executors' shuffle
     * readers ask) and starts its event thread.
     *
     * @param maxTaskFailures       attempts per task before its job fails (at least 1)
     * @param shutdownTimeoutMillis how long {@link #close()} waits for running tasks
     * @param closureMode           whether each task attempt gets its own deserialized copy of the
     *                              functions it runs ({@link TaskClosure})
     * @param maxResultSize         the most bytes of serialized results one job may bring to the driver
     *                              ({@code kindling.driver.maxResultSize}); 0 for no limit
     */
    public DAGScheduler(ExecutorBackend backend, ShuffleStore shuffleStore, MapOutputTracker tracker,
                        int maxTaskFailures, long shutdownTimeoutMillis, TaskClosure.Mode closureMode,
                        OutputCommitCoordinator commits, long maxResultSize) {
        if (maxResultSize < 0) {
            throw new IllegalArgumentException(ResultSizeExceededException.KEY + " must be at least 0 (0: no limit), got "
                    + maxResultSize);
        }
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.commits = Objects.requireNonNull(commits, "commits");
        this.closureMode = Objects.requireNonNull(closureMode, "closureMode");
        if (maxTaskFailures < 1) {
            throw new IllegalArgumentException("kindling.task.maxFailures must be at least 1 (got " + maxTaskFailures + ")");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(shuffleStore, "shuffleStore");
        this.maxTaskFailures = maxTaskFailures;
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
        this.graph = new StageGraph(tracker);
        this.memoryBudget = shuffleStore.memoryManager().map(m -> m.maxBytes()).orElse(-1L);
        this.loop = new EventLoop("kindling-dag-scheduler-" + INSTANCES.incrementAndGet(), this::failAllJobs);
        this.attempts = new RunningAttempts(backend, tracker, loop, bus, closureMode, maxResultSize,
                this::handleTaskEnd);
        backend.start(attempts);
    }

    // =====================================================================================
    // Public API: everything posts to the event thread.
    // =====================================================================================

    /** The driver's record of where each map output lives; map tasks' statuses are registered in it. */
    public MapOutputTracker mapOutputTracker() {
        return tracker;
    }

    /**
     * Tells the scheduler that executor {@code executorId} is gone (its process exited or stopped
     * answering): every map output it held is forgotten, so stages that need them run their lost map
     * partitions again (only those) before any reduce task reads them. The hook a cluster backend
     * calls; returns at once.
     */
    public void executorLost(String executorId) {
        Objects.requireNonNull(executorId, "executorId");
        post(() -> {
            int lost = tracker.removeOutputsOnExecutor(executorId);
            LOG.info("Executor {} lost: forgot {} map output(s) it held; their map tasks will re-run when needed",
                    executorId, lost);
            submitWaitingStages();
        });
    }

    /**
     * Tells listeners that an executor joined ({@link SchedulerEvent.ExecutorAdded}); an executor
     * already announced and not removed is not announced again. Returns at once.
     *
     * @param port  its server's port, or -1 when it has none
     * @param cores its task slots
     */
    public void executorAdded(String executorId, String host, int port, int cores) {
        Objects.requireNonNull(executorId, "executorId");
        long time = now();
        post(() -> {
            if (!executors.containsKey(executorId)) {
                SchedulerEvent.ExecutorAdded added = new SchedulerEvent.ExecutorAdded(time, executorId, host, port, cores);
                executors.put(executorId, added);
                bus.post(added);
            }
        });
    }

    /**
     * Tells listeners that an executor left ({@link SchedulerEvent.ExecutorRemoved}) and why; nothing
     * when it was not announced or was removed already. Its map outputs are the business of
     * {@link #executorLost}. Returns at once.
     */
    public void executorRemoved(String executorId, String reason) {
        Objects.requireNonNull(executorId, "executorId");
        long time = now();
        post(() -> removeExecutor(executorId, reason, time));
    }

    /**
     * Tells listeners that executor {@code executorId} stored the cached partitions {@code stored} and
     * dropped {@code removed}, each as (rdd id, partition) pairs: one {@link SchedulerEvent.BlockUpdated}
     * per block. Returns at once.
     */
    public void blocksUpdated(String executorId, int[] stored, int[] removed) {
        Objects.requireNonNull(executorId, "executorId");
        long time = now();
        int[] s = stored.clone();
        int[] r = removed.clone();
        post(() -> cachedBlocks.reported(time, executorId, s, r).forEach(bus::post));
    }

    private void removeExecutor(String executorId, String reason, long time) {
        cachedBlocks.executorRemoved(executorId);
        if (executors.remove(executorId) != null) {
            bus.post(new SchedulerEvent.ExecutorRemoved(time, executorId, reason));
        }
    }

    /**
     * Removes the cached partitions of RDD {@code rddId} from every executor that holds one and waits
     * until they did (the unpersist of a cluster; with one executor the caller removes its blocks).
     * Called from any thread; not on the event thread.
     */
    public void removeRdd(int rddId) {
        backend.removeRdd(rddId);
        long time = now();
        post(() -> cachedBlocks.unpersisted(time, rddId).forEach(bus::post));
    }

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
        return submitJob(rdd, partitions, function, handler, description, jobGroup, Map.of());
    }

    /**
     * Submits a job as {@link #submitJob(Lineage, int[], TaskFunction, ResultHandler, String, String)}
     * does, with the submitting thread's local {@code properties}, which its tasks see through
     * {@link TaskContext#getLocalProperty}.
     */
    public <R> JobHandle submitJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                                   String description, String jobGroup, Map<String, String> properties) {
        return submitJob(rdd, partitions, function, handler, description, jobGroup, properties, handle -> { });
    }

    /**
     * Submits a job as {@link #submitJob(Lineage, int[], TaskFunction, ResultHandler, String, String, Map)}
     * does, handing its handle to {@code onCreated} before any of its tasks can start (so that a caller
     * who tracks its jobs knows this one while its tasks run). A cancel from {@code onCreated} itself
     * may come too early to count: cancel again after this returns.
     */
    public <R> JobHandle submitJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                                   String description, String jobGroup, Map<String, String> properties,
                                   java.util.function.Consumer<JobHandle> onCreated) {
        Objects.requireNonNull(rdd, "rdd");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(handler, "handler");
        Set<Integer> distinct = new HashSet<>();
        for (int p : partitions) {
            if (p < 0 || !distinct.add(p)) {
                throw new IllegalArgumentException("Job partitions must be distinct and non-negative, but "
                        + (p < 0 ? "contain " : "repeat ") + p + " in " + java.util.Arrays.toString(partitions)
                        + " (job on " + rdd.describe() + ")");
            }
        }
        int jobId = nextJobId.getAndIncrement();
        JobHandle handle = new JobHandle(jobId, this);
        ActiveJob job = new ActiveJob(jobId, rdd, partitions.clone(), function, handler, description, jobGroup,
                Objects.requireNonNull(properties, "properties"), handle);
        onCreated.accept(handle);
        if (stopped || !loop.post(() -> handleJobSubmitted(job),
                e -> failJob(job, JobFailures.eventFailed(job, "its submission", e)))) {
            // After close the event may never run: fail the handle here (a no-op if the event did run).
            handle.fail(new JobCancelledException(jobId, "the context is closed"));
        }
        return handle;
    }

    /**
     * Submits a job and waits for it.
     *
     * @throws IllegalStateException if called on the event thread (from a listener or result handler)
     */
    public <R> void runJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                           String description, String jobGroup) {
        runJob(rdd, partitions, function, handler, description, jobGroup, Map.of());
    }

    /** Submits a job with the submitting thread's local {@code properties} and waits for it. */
    public <R> void runJob(Lineage rdd, int[] partitions, TaskFunction<R> function, ResultHandler<R> handler,
                           String description, String jobGroup, Map<String, String> properties) {
        if (loop.isEventThread()) {
            throw new IllegalStateException("A job (" + description + ") cannot be run from a scheduler listener or "
                    + "result handler: they run on the scheduler's event thread, and waiting there would deadlock; "
                    + "hand the work to another thread");
        }
        submitJob(rdd, partitions, function, handler, description, jobGroup, properties).await();
    }

    /** Cancels one job. */
    public void cancelJob(int jobId, String reason) {
        loop.post(() -> {
            ActiveJob job = activeJobs.get(jobId);
            if (job != null) {
                finishJob(job, new JobCancelledException(jobId, reason));
            }
        }, e -> {
            ActiveJob job = activeJobs.get(jobId);
            if (job != null) {
                failJob(job, JobFailures.eventFailed(job, "its cancellation", e));
            }
        });
    }

    /**
     * Cancels every active job of a job group.
     *
     * @throws NullPointerException if {@code group} is null (jobs without a group are not a group;
     *     use {@link #cancelAllJobs})
     */
    public void cancelJobGroup(String group, String reason) {
        Objects.requireNonNull(group, "cancelJobGroup needs a job group id (got null); use cancelAllJobs to cancel "
                + "every job");
        post(() -> {
            for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
                if (group.equals(job.jobGroup)) {
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
        if (loop.isEventThread()) {
            return stateSizes(); // called from a listener: waiting for the event thread would deadlock
        }
        CompletableFuture<Map<String, Integer>> result = new CompletableFuture<>();
        boolean posted = loop.post(() -> result.complete(stateSizes()), result::completeExceptionally);
        if (stopped || !posted) {
            result.complete(Map.of());
        }
        return result.join();
    }

    private Map<String, Integer> stateSizes() {
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

    /**
     * Cancels all jobs, stops the executor threads, tells listeners that the executors left were
     * stopped ({@code ExecutorRemoved}, after the ends of the tasks interrupted), and stops the event
     * thread. Idempotent. Tasks that ignore interruption are waited for at most the shutdown timeout,
     * then named in a warning and abandoned.
     *
     * @throws IllegalStateException if called from a listener (on the event thread)
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        if (loop.isEventThread()) {
            throw new IllegalStateException("DAGScheduler.close() was called from a scheduler listener on "
                    + loop.threadName() + "; close the context from another thread");
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.post(() -> {
            for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
                finishJob(job, new JobCancelledException(job.jobId, "the context is closing"));
            }
            stopped = true;
            drained.complete(null);
        }, e -> {
            try {
                failAllJobs(e);
            } finally {
                stopped = true;
                drained.complete(null);
            }
        });
        drained.join();
        List<String> stuck = backend.shutdown(shutdownTimeoutMillis);
        if (!stuck.isEmpty()) {
            LOG.warn("{} executor thread(s) ignored interruption and were still running {} ms after close: {}. "
                    + "They are daemon threads and are abandoned; make long-running task code check "
                    + "Thread.interrupted() or TaskContext.isKilled().", stuck.size(), shutdownTimeoutMillis, stuck);
        }
        // After the backend stopped, so the ends of the tasks it interrupted are reported first.
        loop.post(() -> {
            for (String id : new ArrayList<>(executors.keySet())) {
                removeExecutor(id, "stopped: the context was closed", now());
            }
        });
        loop.stop(shutdownTimeoutMillis);
    }

    /** Whether the calling thread is the scheduler's event thread (listeners and result handlers run there). */
    boolean isEventThread() {
        return loop.isEventThread();
    }

    private boolean post(Runnable event) {
        return loop.post(event);
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
        boolean started = false;
        try {
            Stage.Result finalStage = graph.newResultStage(job);
            job.finalStage = finalStage;
            List<Integer> stageIds = job.partitions.length == 0 ? List.of() : graph.stageIdsToRun(finalStage, job);
            started = true;
            List<SchedulerEvent.StageInfo> stageInfos = new ArrayList<>();
            for (Stage s : job.stages) {
                if (stageIds.contains(s.id)) {
                    stageInfos.add(stageInfo(s));
                }
            }
            stageInfos.sort(java.util.Comparator.comparingInt(SchedulerEvent.StageInfo::stageId));
            bus.post(new SchedulerEvent.JobStart(now(), job.jobId, job.description, job.jobGroup, stageIds,
                    List.copyOf(stageInfos)));
            if (job.partitions.length == 0) {
                // Nothing to compute: do not even look at the lineage, whose methods may be costly or throw.
                finishJob(job, null);
                return;
            }
            submitStage(finalStage, job);
        } catch (Throwable e) {
            if (activeJobs.containsKey(job.jobId)) {
                if (!started) {
                    bus.post(new SchedulerEvent.JobStart(now(), job.jobId, job.description, job.jobGroup, List.of()));
                }
                finishJob(job, JobFailures.planning(job, e));
            }
        }
    }

    private void submitStage(Stage stage, ActiveJob job) {
        if (waiting.contains(stage) || running.contains(stage)) {
            return;
        }
        List<Stage> missing = graph.missingParents(stage, job);
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
            for (int p : graph.missingOutputs(map)) {
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
        commits.stageStarted(stage.id);
        stage.pendingPartitions.clear();
        stage.pendingPartitions.addAll(partitions);
        running.add(stage);
        SchedulerEvent.StageInfo submitted = stageInfo(stage);
        cachedBlocks.described(submitted);
        bus.post(new SchedulerEvent.StageSubmitted(now(), submitted));
        ActiveJob owner = stage instanceof Stage.Result r ? r.job : activeJobs.get(stage.firstJobId);
        for (int p : partitions) {
            attempts.launch(stage, p, owner == null ? job : owner);
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
        java.util.SortedSet<Long> broadcasts = new java.util.TreeSet<>();
        java.util.SortedSet<Long> accumulators = new java.util.TreeSet<>();
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

    private SchedulerEvent.StageInfo stageInfo(Stage stage) {
        return StageDescriber.describe(stage, graph::shuffleStage);
    }

    private void stageFinished(Stage stage) {
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), null));
        }
        if (stage instanceof Stage.ShuffleMap map && !graph.isAvailable(map)) {
            // Some output was lost while the stage ran: run the missing partitions again.
            ActiveJob job = anyJobOf(stage);
            if (job != null) {
                guarded(stage, () -> submitStage(stage, job));
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
    private void submitWaitingStages() {
        for (Stage w : new ArrayList<>(waiting)) {
            ActiveJob job = anyJobOf(w);
            if (!waiting.contains(w) || job == null) {
                continue; // submitted or dropped meanwhile (this loop re-enters through submitStage)
            }
            guarded(w, () -> {
                List<Stage> missing = graph.missingParents(w, job);
                if (missing.isEmpty()) {
                    waiting.remove(w);
                    submitMissingTasks(w, job);
                } else {
                    for (Stage parent : missing) {
                        submitStage(parent, job);
                    }
                }
            });
        }
    }

    /**
     * Runs scheduling work for {@code stage}; if it throws (lineage methods are user code), fails the
     * jobs that need the stage rather than leaving them waiting.
     */
    private void guarded(Stage stage, Runnable work) {
        try {
            work.run();
        } catch (Throwable e) {
            failJobsOf(stage, e);
        }
    }

    private void failJobsOf(Stage stage, Throwable e) {
        Throwables.warn(LOG, "Scheduling stage " + stage.id + " (" + stage.name() + ") failed; failing the jobs that "
                + "need it", e);
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), Throwables.describe(e)));
        }
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            if (job.stages.contains(stage)) {
                finishJob(job, JobFailures.scheduling(job, stage, e));
            }
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

    private void handleTaskEnd(TaskAttempt attempt, TaskOutcome outcome) {
        boolean live = RunningAttempts.isLive(attempt);
        Stage stage = attempt.stage;
        guarded(stage, () -> bus.post(new SchedulerEvent.TaskEnd(now(), stage.id, attempt.stageAttempt,
                attempt.info(), outcome.metrics(), outcome.status(), outcome.failure())));
        if (outcome.failure() != null) {
            commits.taskFailed(stage.id, attempt.stageAttempt, attempt.partition, attempt.attemptNumber);
        }
        if (!live || !graph.isLive(stage)) {
            return;
        }
        guarded(stage, () -> {
            if (outcome.failure() == null) {
                taskSucceeded(attempt, stage, outcome);
            } else {
                taskFailed(attempt, stage, outcome.failure());
            }
        });
    }

    private void taskSucceeded(TaskAttempt attempt, Stage stage, TaskOutcome outcome) {
        Object result = outcome.result();
        if (stage instanceof Stage.Result rs) {
            ActiveJob job = rs.job;
            int index = job.indexOfPartition.get(attempt.partition);
            boolean first = !job.finished[index];
            notifyObservers(attempt, outcome, true, first);
            if (!first) {
                return;
            }
            job.finished[index] = true;
            job.numFinished++;
            try {
                job.handler.onResult(index, result);
            } catch (Throwable e) {
                finishJob(job, JobFailures.resultHandler(job, attempt.partition, e));
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
            Stage.ShuffleMap map = (Stage.ShuffleMap) stage;
            if (!(result instanceof MapStatus status)) {
                throw new IllegalStateException("Map task " + attempt.taskId + " of stage " + stage.id
                        + " returned " + result + " instead of a MapStatus");
            }
            tracker.registerMapOutput(map.dependency.shuffleId(), map.numTasks, attempt.partition, status);
            notifyObservers(attempt, outcome, false, true);
            stage.pendingPartitions.remove(attempt.partition);
            if (stage.pendingPartitions.isEmpty() && running.contains(stage)) {
                stage.consecutiveFetchFailures = 0;
                stageFinished(stage);
            }
        }
    }

    private void notifyObservers(TaskAttempt attempt, TaskOutcome outcome, boolean resultTask, boolean firstSuccess) {
        if (outcome.accumulatorUpdates().isEmpty()) {
            return;
        }
        String task = "task " + attempt.taskId + " (stage " + attempt.stage.id + ", partition " + attempt.partition + ")";
        for (TaskOutcomeObserver o : observers) {
            try {
                o.onTaskSucceeded(outcome.accumulatorUpdates(), task, resultTask, firstSuccess);
            } catch (Throwable e) {
                Throwables.warn(LOG, "Task outcome observer " + o.getClass().getName() + " failed; ignoring", e);
            }
        }
    }

    private void taskFailed(TaskAttempt attempt, Stage stage, Throwable failure) {
        FetchFailedException fetch = JobFailures.findCause(failure, FetchFailedException.class);
        // Also the cause of a fetch failure on the reader's own executor: it names every output found missing.
        MissingShuffleOutputException missing = JobFailures.findCause(failure, MissingShuffleOutputException.class);
        if (fetch != null || missing != null) {
            if (fetch != null && fetch.executorId() != null && !fetch.executorId().equals(attempt.executorId)) {
                lostShuffleServer(fetch);
            } else if (missing != null) {
                // Read on its own executor (which is alive: it ran the reader): forget only the outputs its
                // store found missing (all of them, so that one failed attempt has them all recomputed).
                for (int mapId : missing.mapIds()) {
                    tracker.unregisterMapOutput(missing.shuffleId(), mapId, fetch == null ? null : fetch.executorId());
                }
            } else {
                tracker.unregisterMapOutput(fetch.shuffleId(), fetch.mapId(), fetch.executorId());
            }
            int times = ++stage.consecutiveFetchFailures;
            if (times >= MAX_CONSECUTIVE_FETCH_FAILURES) {
                abortStage(stage, failure, job -> JobFailures.lostShuffleInput(job, stage, attempt.partition, times,
                        failure));
                return;
            }
            LOG.info("Stage {} lost shuffle input ({}); re-running the map stage that produces it",
                    stage.id, (fetch != null ? fetch : missing).getMessage());
            if (running.remove(stage)) {
                bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), "missing shuffle output"));
            }
            attempts.killAll(stage);
            ActiveJob job = anyJobOf(stage);
            if (job != null) {
                submitStage(stage, job);
            }
            return;
        }
        ExecutorLossFailure lost = JobFailures.findCause(failure, ExecutorLossFailure.class);
        if (lost != null && !lost.countsTowardTaskFailures()) {
            // Its executor died under it: not the task's fault (Spark's ExecutorLostFailure, exitCausedByApp=false).
            LOG.warn("Task {} (stage {}, partition {}, attempt {}) was lost with its executor; running it again (not "
                    + "counted toward kindling.task.maxFailures): {}", attempt.taskId, stage.id, attempt.partition,
                    attempt.attemptNumber, Throwables.describe(failure));
            retry(attempt, stage);
            return;
        }
        int failures = stage.failures.merge(attempt.partition, 1, Integer::sum);
        Throwable fatal = JobFailures.notRetryableCause(failure);
        if (fatal != null) {
            abortStage(stage, failure, job -> JobFailures.notRetryable(job, stage, attempt.partition, fatal, failure,
                    memoryBudget));
            return;
        }
        if (failures >= maxTaskFailures) {
            abortStage(stage, failure, job -> JobFailures.taskFailures(job, stage, attempt.partition, failures,
                    maxTaskFailures, failure));
            return;
        }
        LOG.warn("Task {} (stage {}, partition {}, attempt {}) failed; retrying ({} of {} attempts used): {}",
                attempt.taskId, stage.id, attempt.partition, attempt.attemptNumber, failures, maxTaskFailures,
                Throwables.describe(failure));
        retry(attempt, stage);
    }

    /** Launches the next attempt of a failed task, if its stage still runs for a job. */
    private void retry(TaskAttempt attempt, Stage stage) {
        ActiveJob job = stage instanceof Stage.Result r ? r.job : anyJobOf(stage);
        if (job != null && running.contains(stage)) {
            attempts.launch(stage, attempt.partition, job);
        }
    }

    /**
     * A reduce task could not fetch map output from another executor: that executor's shuffle server is
     * taken to be gone (Spark's handling of a fetch failure without an external shuffle service), so every
     * map output it holds, of every shuffle, is forgotten at once (later stages re-run its map tasks
     * instead of failing on it one output at a time), and the backend is asked to check the executor
     * (and remove it as lost when it does not answer).
     */
    private void lostShuffleServer(FetchFailedException fetch) {
        String executorId = fetch.executorId();
        int forgotten = tracker.removeOutputsOnExecutor(executorId);
        LOG.info("A reduce task could not fetch from executor {}: forgot all {} map output(s) it held; asking the backend "
                + "to check it", executorId, forgotten);
        try {
            backend.checkExecutor(executorId, fetch.getMessage());
        } catch (RuntimeException e) {
            Throwables.warn(LOG, "Could not ask the backend to check executor " + executorId, e);
        }
    }

    /** Fails every job that needs {@code stage} with the exception {@code failure} builds for it. */
    private void abortStage(Stage stage, Throwable cause, Function<ActiveJob, JobFailedException> failure) {
        if (running.remove(stage)) {
            bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), Throwables.describe(cause)));
        }
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            if (job.stages.contains(stage)) {
                finishJob(job, failure.apply(job));
            }
        }
    }

    /**
     * Ends a job (successfully when {@code failure} is null) and drops the stages only it needed. The
     * job's waiter is released even if the cleanup throws.
     */
    private void finishJob(ActiveJob job, JobFailedException failure) {
        if (activeJobs.remove(job.jobId) == null) {
            return;
        }
        try {
            for (Stage stage : job.stages) {
                stage.jobIds.remove(job.jobId);
                if (stage.jobIds.isEmpty()) {
                    if (running.remove(stage)) {
                        bus.post(new SchedulerEvent.StageCompleted(now(), stageInfo(stage), "no longer needed: job "
                                + job.jobId + (failure == null ? " finished" : " ended: " + failure.getMessage())));
                    }
                    waiting.remove(stage);
                    graph.drop(stage);
                    commits.stageEnded(stage.id);
                    attempts.killAll(stage);
                }
            }
            bus.post(new SchedulerEvent.JobEnd(now(), job.jobId, failure));
        } finally {
            if (failure == null) {
                job.handle.succeed();
            } else {
                job.handle.fail(failure);
            }
        }
    }

    /** Fails a job after an event concerning it threw; releases its waiter even if the cleanup throws again. */
    private void failJob(ActiveJob job, JobFailedException failure) {
        if (!activeJobs.containsKey(job.jobId)) {
            job.handle.fail(failure); // not registered yet (or already ended: then a no-op)
            return;
        }
        finishJob(job, failure);
    }

    /**
     * The event loop's fallback when an event without a handler of its own threw (or its handler
     * did): the scheduler's state may be inconsistent, so every active job fails with the throwable as
     * cause; the loop keeps running for new jobs.
     */
    private void failAllJobs(Throwable e) {
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            try {
                failJob(job, JobFailures.eventFailed(job, "an event", e));
            } catch (Throwable again) {
                job.handle.fail(JobFailures.eventFailed(job, "an event", e));
            }
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
