package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.shuffle.FetchFailedException;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MissingShuffleOutputException;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.ExecutorLossFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>Parts (package-private, each confined to the event thread like the state they share): this class
 * is the public face, checks arguments and posts events; {@link SchedulerState} holds the jobs, the
 * waiting and running stages, the {@link StageGraph} (stages and their links) and the
 * {@link RunningAttempts} (launched task attempts); {@link StageSubmitter} plans jobs and submits
 * stages; {@link TaskEnds} handles each attempt's end (results, map outputs, retries, lost shuffle
 * input); {@link JobEnds} ends jobs (success, cancellation, aborted stages); {@link ExecutorEvents}
 * handles executors joining, leaving and being lost, and their cached blocks. Dependencies run one way:
 * <pre>
 *  DAGScheduler --> ExecutorEvents --> StageSubmitter --> JobEnds --> SchedulerState
 *              \--> TaskEnds ---------/      (TaskEnds also uses JobEnds and SchedulerState)
 * </pre>
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
 *   <li>Every path that ends a job goes through {@link JobEnds#finishJob} (cleanup + event + future).</li>
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
    private final long shutdownTimeoutMillis;
    private final ListenerBus bus = new ListenerBus();
    private final List<TaskOutcomeObserver> observers = new CopyOnWriteArrayList<>();
    private final EventLoop loop;
    private final AtomicInteger nextJobId = new AtomicInteger();
    private volatile boolean stopped;

    // ---- the parts that handle events; their state is owned by the event thread ----
    private final SchedulerState state;
    private final JobEnds jobs;
    private final StageSubmitter stages;
    private final TaskEnds taskEnds;
    private final ExecutorEvents executorEvents;

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
        Objects.requireNonNull(commits, "commits");
        Objects.requireNonNull(closureMode, "closureMode");
        if (maxTaskFailures < 1) {
            throw new IllegalArgumentException("kindling.task.maxFailures must be at least 1 (got " + maxTaskFailures + ")");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(shuffleStore, "shuffleStore");
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
        long memoryBudget = shuffleStore.memoryManager().map(m -> m.maxBytes()).orElse(-1L);
        this.loop = new EventLoop("kindling-dag-scheduler-" + INSTANCES.incrementAndGet(), this::failAllJobs);
        RunningAttempts attempts = new RunningAttempts(backend, tracker, loop, bus, closureMode, maxResultSize,
                this::handleTaskEnd);
        this.state = new SchedulerState(new StageGraph(tracker), attempts, bus, commits);
        this.jobs = new JobEnds(state);
        CachedBlockEvents cachedBlocks = new CachedBlockEvents();
        this.stages = new StageSubmitter(state, jobs, backend, cachedBlocks);
        this.taskEnds = new TaskEnds(state, jobs, stages, backend, tracker, observers, maxTaskFailures, memoryBudget);
        this.executorEvents = new ExecutorEvents(bus, tracker, stages, cachedBlocks);
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
        post(() -> executorEvents.executorLost(executorId));
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
        post(() -> executorEvents.executorAdded(time, executorId, host, port, cores));
    }

    /**
     * Tells listeners that an executor left ({@link SchedulerEvent.ExecutorRemoved}) and why; nothing
     * when it was not announced or was removed already. Its map outputs are the business of
     * {@link #executorLost}. Returns at once.
     */
    public void executorRemoved(String executorId, String reason) {
        Objects.requireNonNull(executorId, "executorId");
        long time = now();
        post(() -> executorEvents.executorRemoved(executorId, reason, time));
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
        post(() -> executorEvents.blocksUpdated(time, executorId, s, r));
    }

    /**
     * Removes the cached partitions of RDD {@code rddId} from every executor that holds one and waits
     * until they did (the unpersist of a cluster; with one executor the caller removes its blocks).
     * Called from any thread; not on the event thread.
     */
    public void removeRdd(int rddId) {
        backend.removeRdd(rddId);
        long time = now();
        post(() -> executorEvents.rddUnpersisted(time, rddId));
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
                e -> jobs.failJob(job, JobFailures.eventFailed(job, "its submission", e)))) {
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
        loop.post(() -> jobs.cancelJob(jobId, reason), e -> jobs.cancellationFailed(jobId, e));
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
        post(() -> jobs.cancelJobGroup(group, reason));
    }

    /** Cancels every active job. */
    public void cancelAllJobs(String reason) {
        post(() -> jobs.cancelAllJobs(reason));
    }

    /**
     * Returns, from the event thread, the sizes of the scheduler's internal maps: all zero when no
     * job is active. Tests assert on it, as Spark's DAGSchedulerSuite does.
     */
    public Map<String, Integer> internalStateSizes() {
        if (loop.isEventThread()) {
            return state.sizes(); // called from a listener: waiting for the event thread would deadlock
        }
        CompletableFuture<Map<String, Integer>> result = new CompletableFuture<>();
        boolean posted = loop.post(() -> result.complete(state.sizes()), result::completeExceptionally);
        if (stopped || !posted) {
            result.complete(Map.of());
        }
        return result.join();
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
            jobs.cancelAllJobs("the context is closing");
            stopped = true;
            drained.complete(null);
        }, e -> {
            try {
                jobs.failAllJobs(e);
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
        loop.post(() -> executorEvents.removeAll("stopped: the context was closed"));
        loop.stop(shutdownTimeoutMillis);
    }

    /** Whether the calling thread is the scheduler's event thread (listeners and result handlers run there). */
    boolean isEventThread() {
        return loop.isEventThread();
    }

    private boolean post(Runnable event) {
        return loop.post(event);
    }

    // ---- event handlers (event thread only): each hands the event to the part that owns it ----

    private void handleJobSubmitted(ActiveJob job) {
        if (stopped) {
            job.handle.fail(new JobCancelledException(job.jobId, "the context is closed"));
            return;
        }
        stages.jobSubmitted(job);
    }

    /** {@link RunningAttempts}' callback for each attempt's end. */
    private void handleTaskEnd(TaskAttempt attempt, TaskOutcome outcome) {
        taskEnds.taskEnded(attempt, outcome);
    }

    /** The event loop's fallback for an event that threw: fails every active job ({@link JobEnds#failAllJobs}). */
    private void failAllJobs(Throwable e) {
        jobs.failAllJobs(e);
    }

    private static long now() {
        return SchedulerState.now();
    }
}
