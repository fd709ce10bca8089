package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.internal.executor.ExecutorEnv;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The task attempts that were launched and whose end the scheduler still wants: launches attempts on
 * the {@link ExecutorBackend}, kills them, and says whether an ending attempt is still wanted. Part
 * of {@link DAGScheduler}: its methods run on the event thread; only the launched code runs on an
 * executor thread, and it talks back by posting events.
 */
final class RunningAttempts {

    private final ExecutorBackend backend;
    private final ExecutorEnv env;
    private final EventLoop loop;
    private final ListenerBus bus;
    private final TaskClosure.Mode closureMode;
    private final BiConsumer<TaskAttempt, TaskRunner.Outcome> onEnd;
    private final AtomicLong nextTaskId = new AtomicLong();
    private final Map<Long, TaskAttempt> attempts = new HashMap<>();

    /** {@code onEnd} is called on the event thread once per attempt that ran, wanted or not. */
    RunningAttempts(ExecutorBackend backend, ExecutorEnv env, EventLoop loop, ListenerBus bus,
                    TaskClosure.Mode closureMode, BiConsumer<TaskAttempt, TaskRunner.Outcome> onEnd) {
        this.closureMode = closureMode;
        this.backend = backend;
        this.env = env;
        this.loop = loop;
        this.bus = bus;
        this.onEnd = onEnd;
    }

    /**
     * Launches the next attempt of one task. Attempt numbers count launches per stage and partition,
     * not failures: an attempt killed by a stage resubmission may still be running (writing files
     * named after its attempt number) when the next one starts, so the two must never share one.
     */
    void launch(Stage stage, int partition, ActiveJob job) {
        int attemptNumber = stage.launches.merge(partition, 1, Integer::sum) - 1;
        TaskAttempt attempt = new TaskAttempt(nextTaskId.getAndIncrement(), stage, partition, attemptNumber, job);
        TaskContextAccess.get().setClosureMode(attempt.context, closureMode);
        TaskContextAccess.get().setEnv(attempt.context, env);
        attempts.put(attempt.taskId, attempt);
        attempt.future = backend.launch(() -> run(attempt), "task " + attempt.taskId + " (stage " + stage.id + "."
                + attempt.stageAttempt + ", partition " + partition + ", attempt " + attemptNumber + ") of job "
                + job.jobId);
    }

    /** Forgets an attempt that ended; returns whether it was still wanted (not killed meanwhile). */
    boolean ended(TaskAttempt attempt) {
        return attempts.remove(attempt.taskId) != null;
    }

    /**
     * Kills the attempts of a stage: sets each context's kill flag first, then interrupts its thread
     * (or drops it from the queue), and forgets them, so their outcomes are ignored.
     */
    void killAll(Stage stage) {
        for (Iterator<TaskAttempt> it = attempts.values().iterator(); it.hasNext(); ) {
            TaskAttempt a = it.next();
            if (a.stage == stage) {
                it.remove();
                TaskContextAccess.get().kill(a.context);
                if (a.future != null) {
                    a.future.cancel(true);
                }
            }
        }
    }

    int size() {
        return attempts.size();
    }

    /** Runs on an executor thread. Posts a start and exactly one outcome, whatever happens. */
    private void run(TaskAttempt attempt) {
        attempt.thread = Thread.currentThread().getName();
        loop.post(() -> bus.post(new SchedulerEvent.TaskStart(System.currentTimeMillis(), attempt.stage.id,
                attempt.stageAttempt, attempt.info())));
        TaskRunner.Outcome outcome;
        try {
            outcome = TaskRunner.run(attempt, env.shuffleStore());
        } catch (Throwable t) {
            outcome = new TaskRunner.Outcome(null, t);
        }
        TaskRunner.Outcome result = outcome;
        outcome = null;
        // After an OutOfMemoryError the task's data is garbage now, but posting may still fail once
        // for lack of memory; an outcome that is never posted would leave its job waiting forever.
        for (int tries = 1; ; tries++) {
            try {
                loop.post(() -> onEnd.accept(attempt, result));
                return;
            } catch (OutOfMemoryError e) {
                if (tries == 3) {
                    throw e;
                }
            }
        }
    }
}
