package dev.kindling.internal.scheduler;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskLocality;
import dev.kindling.scheduler.TaskMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The task attempts that were launched and have not reported their end: launches them on the
 * {@link ExecutorBackend} as {@link TaskDescription}s, kills them, and turns their
 * {@link StatusUpdate}s into scheduler events. Part of {@link DAGScheduler}: launches, kills and
 * ends run on the event thread; status updates arrive on executor threads, where results,
 * accumulator updates and failures are read back (deserialized, when they are bytes), and are then
 * posted to the event thread.
 */
final class RunningAttempts implements StatusListener {


    private final ExecutorBackend backend;
    private final EventLoop loop;
    private final ListenerBus bus;
    private final TaskClosure.Mode closureMode;
    /** The most serialized result bytes per job; 0 for no limit. */
    private final long maxResultSize;
    private final BiConsumer<TaskAttempt, TaskOutcome> onEnd;
    private final AtomicLong nextTaskId = new AtomicLong();
    /** The preferred locations of tasks, when the backend places them by locality; else null. */
    private final PreferredLocations placed;
    /** Launched attempts until their final update; read by executor threads, changed on the event thread. */
    private final Map<Long, TaskAttempt> attempts = new ConcurrentHashMap<>();

    /**
     * {@code onEnd} is called on the event thread once per attempt that ran, wanted or not; reduce tasks
     * prefer the executors {@code tracker} says hold their input when the backend places tasks by
     * locality and {@link ExecutorBackend#reduceLocality()}.
     */
    RunningAttempts(ExecutorBackend backend, MapOutputTracker tracker, EventLoop loop, ListenerBus bus,
                    TaskClosure.Mode closureMode, long maxResultSize, BiConsumer<TaskAttempt, TaskOutcome> onEnd) {
        this.closureMode = closureMode;
        this.maxResultSize = maxResultSize;
        this.backend = backend;
        this.loop = loop;
        this.bus = bus;
        this.onEnd = onEnd;
        this.placed = !backend.schedulesByLocality() ? null
                : new PreferredLocations(backend, backend.reduceLocality() ? tracker : null);
    }

    /**
     * Launches the next attempt of one task with the stage attempt's binary. Attempt numbers count
     * launches per stage and partition, not failures: an attempt killed by a stage resubmission may
     * still be running (writing files named after its attempt number) when the next one starts, so
     * the two must never share one.
     */
    void launch(Stage stage, int partition, ActiveJob job) {
        int attemptNumber = stage.launches.merge(partition, 1, Integer::sum) - 1;
        TaskAttempt attempt = new TaskAttempt(nextTaskId.getAndIncrement(), stage, partition, attemptNumber, job,
                stage.binary.classLoader(), placed == null ? ExecutorEnv.DRIVER_ID : "",
                placed == null ? TaskLocality.PROCESS_LOCAL : TaskLocality.ANY);
        attempts.put(attempt.taskId, attempt);
        TaskDescription task = new TaskDescription(attempt.taskId, job.jobId, stage.id, stage.attempt, partition,
                attemptNumber, stage.binary, stage.broadcastIds, stage.accumulatorIds, job.properties, closureMode);
        if (placed == null) {
            backend.launch(task); // one executor: no preference to compute, nothing to place
        } else {
            backend.launch(task, placed.of(stage.rdd, partition));
        }
    }

    /** Records where the backend placed an attempt (on a backend thread; the attempt may not be known yet). */
    @Override
    public void launched(long taskId, String executorId, TaskLocality locality) {
        TaskAttempt a = attempts.get(taskId);
        if (a != null) {
            a.executorId = executorId;
            a.locality = locality;
        }
    }

    /**
     * Kills the attempts of a stage: marks them unwanted (their outcomes are ignored, though still
     * reported as task ends) and asks the backend to kill them, interrupting their threads.
     */
    void killAll(Stage stage) {
        for (TaskAttempt a : attempts.values()) {
            if (a.stage == stage && !a.killed) {
                a.killed = true;
                backend.killTask(a.taskId, true, "stage " + stage.id + " no longer needs it");
            }
        }
    }

    /** Attempts launched whose outcome is still wanted. */
    int size() {
        int n = 0;
        for (TaskAttempt a : attempts.values()) {
            if (!a.killed) {
                n++;
            }
        }
        return n;
    }

    /**
     * Called by the backend on an executor thread; posts the update to the event thread. The task's
     * events name the executor the attempt was created on or {@link #launched} on.
     */
    @Override
    public void statusUpdate(StatusUpdate update) {
        long taskId = update.taskId();
        if (update.state() == StatusUpdate.State.RUNNING) {
            loop.post(() -> {
                TaskAttempt a = attempts.get(taskId);
                if (a != null) {
                    a.thread = update.thread();
                    bus.post(new SchedulerEvent.TaskStart(System.currentTimeMillis(), a.stage.id, a.stageAttempt,
                            a.info()));
                }
            });
            return;
        }
        TaskAttempt known = attempts.get(taskId);
        TaskOutcome outcome = update.started() ? read(update, known) : null;
        loop.post(() -> {
            TaskAttempt a = attempts.remove(taskId);
            if (a != null && outcome != null) {
                if (!update.thread().isEmpty()) {
                    a.thread = update.thread();
                }
                onEnd.accept(a, outcome);
            }
        });
    }

    /**
     * Reads result, failure and accumulator updates back (off the event thread: they may be bytes, or
     * a result block to fetch). A result task's serialized result counts against its job's
     * {@code kindling.driver.maxResultSize} before it is fetched; the one that goes over is dropped
     * unread and becomes the attempt's failure ({@link ResultSizeExceededException}, which fails the job).
     * A result block of an attempt nobody waits for is dropped unread.
     */
    private TaskOutcome read(StatusUpdate update, TaskAttempt attempt) {
        ClassLoader loader = attempt == null ? null : attempt.loader;
        TaskMetrics metrics = update.metrics() == null ? new TaskMetrics() : update.metrics();
        Map<Long, Object> accumulators;
        Object result = null;
        Throwable failure;
        try {
            accumulators = update.accumulatorUpdates(loader);
            failure = update.failure(loader);
            if (update.state() == StatusUpdate.State.FINISHED) {
                if (attempt == null) {
                    update.dropResult();
                    return new TaskOutcome(null, null, accumulators, metrics, update.status());
                }
                ResultSizeExceededException tooLarge = countResult(update, attempt);
                if (tooLarge != null) {
                    update.dropResult();
                    return new TaskOutcome(null, tooLarge, accumulators, metrics, update.status());
                }
                result = update.result(loader);
            }
        } catch (RuntimeException e) {
            update.dropResult();
            return new TaskOutcome(null, e, Map.of(), metrics, update.status());
        }
        return new TaskOutcome(result, failure, accumulators, metrics, update.status());
    }

    /**
     * Adds a result task's serialized result size to its job's total; the exception to fail with when
     * the total is now over {@code kindling.driver.maxResultSize}, else null. Results held as objects
     * (local mode's {@code auto}) have no serialized size and are not counted; neither are map outputs.
     */
    private ResultSizeExceededException countResult(StatusUpdate update, TaskAttempt attempt) {
        long size = update.resultSize();
        if (maxResultSize == 0 || size < 0 || !(attempt.stage instanceof Stage.Result)) {
            return null;
        }
        long total = attempt.job.resultBytes.addAndGet(size);
        int tasks = attempt.job.resultsCounted.incrementAndGet();
        return total > maxResultSize ? new ResultSizeExceededException(tasks, total, maxResultSize) : null;
    }

    /** Whether the attempt's outcome is still wanted (not killed meanwhile); event thread only. */
    static boolean isLive(TaskAttempt attempt) {
        return !attempt.killed;
    }
}
