package dev.kindling.internal.scheduler;

import dev.kindling.internal.executor.Executor;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * An executor backend that runs nothing by itself: one {@link Executor} whose launched attempts
 * wait in a FIFO queue until the test runs them, one at a time, on its own thread. With {@link SchedulerHarness#barrier()} this
 * makes scheduler tests deterministic: the test decides which task runs when.
 */
final class ManualBackend implements ExecutorBackend {

    private final Deque<FutureTask<?>> queue = new ArrayDeque<>();
    private final ExecutorEnv env;
    private Executor executor;
    private int launched;
    /** The executors the scheduler asked this backend to check, in order. */
    final List<String> checked = new java.util.concurrent.CopyOnWriteArrayList<>();

    ManualBackend(ExecutorEnv env) {
        this.env = env;
    }

    @Override
    public void start(StatusListener listener) {
        executor = new Executor(env, this::enqueue, listener, false);
    }

    @Override
    public boolean serializesTasks() {
        return false;
    }

    @Override
    public void launch(TaskDescription task) {
        executor.launch(task);
    }

    @Override
    public void killTask(long taskId, boolean interrupt, String reason) {
        executor.killTask(taskId, interrupt, reason);
    }

    /** Records the request; there is no executor to check. */
    @Override
    public void checkExecutor(String executorId, String reason) {
        checked.add(executorId);
    }

    @Override
    public int parallelism() {
        return 2;
    }

    private synchronized Future<?> enqueue(Runnable attempt, String description) {
        FutureTask<?> task = new FutureTask<>(attempt, null);
        queue.add(task);
        launched++;
        return task;
    }

    /** Runs the oldest queued attempt that was not cancelled, on the calling thread; false if none. */
    boolean runNext() {
        while (true) {
            FutureTask<?> task;
            synchronized (this) {
                task = queue.poll();
            }
            if (task == null) {
                return false;
            }
            if (!task.isCancelled()) {
                task.run();
                return true;
            }
        }
    }

    /** Attempts queued and not cancelled. */
    synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    /** Attempts launched since the backend was created. */
    synchronized int launched() {
        return launched;
    }

    @Override
    public synchronized List<String> shutdown(long timeoutMillis) {
        queue.forEach(t -> t.cancel(false));
        queue.clear();
        return List.of();
    }
}
