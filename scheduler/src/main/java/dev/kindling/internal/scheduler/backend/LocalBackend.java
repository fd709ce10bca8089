package dev.kindling.internal.scheduler.backend;

import dev.kindling.internal.executor.Executor;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.executor.ExecutorThreadPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Local mode's backend: one {@link Executor} (id {@value ExecutorEnv#DRIVER_ID}) in the driver's
 * JVM, whose task slots are an {@link ExecutorThreadPool}. The protocol is the remote one; with
 * {@link TaskSerialization#AUTO} it skips the copies whose result is provably the same (see the
 * package documentation), with {@link TaskSerialization#ALWAYS} it encodes and decodes every task
 * description and status update as a remote executor does.
 *
 * <p>Thread safety: {@link #launch} and {@link #killTask} may be called from any thread.
 */
public final class LocalBackend implements ExecutorBackend {

    private final ExecutorThreadPool pool;
    private final ExecutorEnv env;
    private final TaskSerialization serialization;
    private volatile Executor executor;

    /**
     * Creates the backend; its threads start now, its executor when {@link #start} is called.
     *
     * @param reaperPollingMillis     see {@link ExecutorThreadPool#ExecutorThreadPool(int, long, long)}
     * @param reaperKillTimeoutMillis see {@link ExecutorThreadPool#ExecutorThreadPool(int, long, long)}
     */
    public LocalBackend(ExecutorEnv env, long reaperPollingMillis, long reaperKillTimeoutMillis,
                        TaskSerialization serialization) {
        this.env = Objects.requireNonNull(env, "env");
        this.serialization = Objects.requireNonNull(serialization, "serialization");
        this.pool = new ExecutorThreadPool(env.cores(), reaperPollingMillis, reaperKillTimeoutMillis);
    }

    @Override
    public void start(StatusListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (executor != null) {
            throw new IllegalStateException("LocalBackend.start was called twice; a backend serves one scheduler");
        }
        boolean always = serialization == TaskSerialization.ALWAYS;
        StatusListener toDriver = always ? update -> listener.statusUpdate(roundTrip(update)) : listener;
        executor = new Executor(env, pool::submit, toDriver, always);
    }

    @Override
    public boolean serializesTasks() {
        return serialization == TaskSerialization.ALWAYS;
    }

    @Override
    public int parallelism() {
        return pool.parallelism();
    }

    @Override
    public void launch(TaskDescription task) {
        Executor e = executor;
        if (e == null) {
            throw new IllegalStateException("LocalBackend.launch before start: the scheduler starts its backend");
        }
        if (serialization == TaskSerialization.ALWAYS) {
            try {
                task = TaskDescription.decode(task.encode(), task.binary().classLoader());
            } catch (IOException ex) {
                throw new UncheckedIOException("A task description did not survive encoding: " + ex.getMessage(), ex);
            }
        }
        e.launch(task);
    }

    @Override
    public void killTask(long taskId, boolean interrupt, String reason) {
        Executor e = executor;
        if (e != null) {
            e.killTask(taskId, interrupt, reason);
        }
    }

    @Override
    public List<String> shutdown(long timeoutMillis) {
        return pool.shutdown(timeoutMillis);
    }

    /** An update as the driver would receive it from another process: encoded, then decoded. */
    private static StatusUpdate roundTrip(StatusUpdate update) {
        try {
            return StatusUpdate.decode(update.encode());
        } catch (IOException e) {
            throw new UncheckedIOException("A status update did not survive encoding: " + e.getMessage(), e);
        }
    }
}
