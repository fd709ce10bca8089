package dev.kindling.internal.cluster;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.scheduler.TaskMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend of {@code local-cluster[E,C,M]}: runs task descriptions on the executor processes of a
 * {@link LocalCluster}.
 *
 * <ol>
 *   <li>{@link #launch} queues a description; whenever an executor has a free slot (C per executor) the
 *       oldest queued description is encoded and sent to the executor with the most free slots.</li>
 *   <li>Executors send encoded {@link StatusUpdate}s back; each is decoded here and handed to the
 *       scheduler's listener, and a final one frees its slot.</li>
 *   <li>{@link #killTask} drops a queued task (KILLED, never started) or asks its executor to kill it.</li>
 *   <li>When an executor is lost (its process exited or its heartbeats stopped), the executor-lost handler
 *       (the scheduler's {@code executorLost}, which forgets the map outputs it held) is called first, then
 *       each task that ran there is reported FAILED with an {@link ExecutorLostException}, so the scheduler
 *       runs it again elsewhere. With no executor left, queued tasks fail the same way.</li>
 * </ol>
 * Task bytes always cross a process boundary, so {@link #serializesTasks()} is true.
 *
 * <p>Thread safety: {@link #launch} and {@link #killTask} may be called from any thread; status updates
 * and executor losses arrive on network and monitor threads. The listener is called outside the lock.
 */
public final class ClusterBackend implements ExecutorBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBackend.class);

    private final int parallelism;
    private final Object lock = new Object();
    private final Deque<TaskDescription> pending = new ArrayDeque<>();
    /** Free slots by registered executor. */
    private final Map<String, Integer> freeSlots = new LinkedHashMap<>();
    /** The executor of each task sent and not yet ended. */
    private final Map<Long, String> running = new HashMap<>();
    private volatile StatusListener listener;
    private volatile Consumer<String> executorLostHandler = id -> { };
    private volatile LocalCluster cluster;
    private volatile boolean stopped;

    private ClusterBackend(int parallelism) {
        this.parallelism = parallelism;
    }

    /**
     * Starts the executor processes of {@code settings} and returns the backend that runs tasks on them,
     * once every executor has registered; a failure to start stops whatever started.
     */
    public static ClusterBackend start(ClusterSettings settings) throws IOException {
        return start(settings, new LocalProcessLauncher(settings.master()));
    }

    /** As {@link #start(ClusterSettings)}, with the executors started by {@code launcher} (YARN containers, say). */
    public static ClusterBackend start(ClusterSettings settings, ExecutorLauncher launcher) throws IOException {
        ClusterBackend backend = new ClusterBackend(launcher.executors() * launcher.coresPerExecutor());
        backend.cluster = LocalCluster.start(settings, backend.new Events(), launcher);
        return backend;
    }

    /**
     * Sets what is called (once, with its id) when an executor is lost, before its running tasks are
     * reported failed: the scheduler's {@code executorLost}.
     */
    public void onExecutorLost(Consumer<String> handler) {
        this.executorLostHandler = Objects.requireNonNull(handler, "handler");
    }

    /** The executor processes, for tests and diagnostics. */
    public LocalCluster cluster() {
        return cluster;
    }

    @Override
    public void start(StatusListener statusListener) {
        Objects.requireNonNull(statusListener, "statusListener");
        if (listener != null) {
            throw new IllegalStateException("ClusterBackend.start was called twice; a backend serves one scheduler");
        }
        listener = statusListener;
    }

    @Override
    public boolean serializesTasks() {
        return true;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public void launch(TaskDescription task) {
        if (listener == null) {
            throw new IllegalStateException("ClusterBackend.launch before start: the scheduler starts its backend");
        }
        synchronized (lock) {
            pending.add(task);
        }
        dispatch();
    }

    @Override
    public void killTask(long taskId, boolean interrupt, String reason) {
        String executorId;
        synchronized (lock) {
            for (Iterator<TaskDescription> it = pending.iterator(); it.hasNext(); ) {
                if (it.next().taskId() == taskId) {
                    it.remove();
                    report(StatusUpdate.killedBeforeStart(taskId, reason));
                    return;
                }
            }
            executorId = running.get(taskId);
        }
        if (executorId != null) {
            try {
                cluster.killTask(executorId, taskId, interrupt, reason);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not ask executor {} to kill task {}: {}", executorId, taskId, e.toString());
            }
        }
    }

    @Override
    public List<String> shutdown(long timeoutMillis) {
        stopped = true;
        LocalCluster c = cluster;
        if (c != null) {
            c.close();
        }
        return List.of();
    }

    /** Sends queued tasks to free slots; a task that cannot be sent is reported failed. */
    private void dispatch() {
        List<StatusUpdate> failures = new ArrayList<>();
        synchronized (lock) {
            while (!pending.isEmpty() && !stopped) {
                String executorId = mostFreeExecutor();
                String unavailable = freeSlots.isEmpty() ? cluster.unavailable() : null;
                if (unavailable != null) { // no executor left, and none will come
                    TaskDescription task = pending.poll();
                    failures.add(StatusUpdate.failed(task.taskId(), "", new ExecutorLostException(task.name()
                            + " cannot run: no executor is left and none will come: " + unavailable, null), false,
                            Map.of(), new TaskMetrics(), unavailable));
                    continue;
                }
                if (executorId == null) {
                    break;
                }
                TaskDescription task = pending.poll();
                try {
                    cluster.launchTask(executorId, task.encode());
                    freeSlots.merge(executorId, -1, Integer::sum);
                    running.put(task.taskId(), executorId);
                } catch (IOException | RuntimeException e) {
                    failures.add(StatusUpdate.failed(task.taskId(), "", new ExecutorLostException(
                            "Could not send " + task.name() + " to executor " + executorId + ": " + e, e), false,
                            Map.of(), new TaskMetrics(), ""));
                }
            }
        }
        failures.forEach(this::report);
    }

    private String mostFreeExecutor() {
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : freeSlots.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    private void report(StatusUpdate update) {
        try {
            listener.statusUpdate(update);
        } catch (RuntimeException e) {
            LOG.warn("The scheduler did not take {}: {}", update, e.toString());
        }
    }

    /** What the cluster tells the backend: executors coming and going, and status updates. */
    private final class Events implements ClusterListener {

        @Override
        public void executorAdded(ExecutorInfo executor) {
            synchronized (lock) {
                freeSlots.put(executor.executorId(), executor.cores());
            }
            dispatch();
        }

        @Override
        public void statusUpdate(String executorId, byte[] bytes) {
            StatusUpdate update;
            try {
                update = StatusUpdate.decode(bytes);
            } catch (IOException e) {
                LOG.error("Executor {} sent a status update that cannot be decoded ({} bytes): {}", executorId,
                        bytes.length, e.toString());
                return;
            }
            if (update.state().isFinal()) {
                synchronized (lock) {
                    String ranOn = running.remove(update.taskId());
                    if (ranOn == null) {
                        return; // already reported failed when its executor was lost
                    }
                    freeSlots.computeIfPresent(ranOn, (id, free) -> free + 1);
                }
            }
            report(update);
            if (update.state().isFinal()) {
                dispatch();
            }
        }

        @Override
        public void unavailable(String reason) {
            dispatch(); // fails what waits for an executor
        }

        @Override
        public void executorLost(String executorId, String reason) {
            List<Long> lostTasks = new ArrayList<>();
            List<TaskDescription> stranded = new ArrayList<>();
            synchronized (lock) {
                freeSlots.remove(executorId);
                for (Iterator<Map.Entry<Long, String>> it = running.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, String> e = it.next();
                    if (e.getValue().equals(executorId)) {
                        lostTasks.add(e.getKey());
                        it.remove();
                    }
                }
                if (freeSlots.isEmpty()) {
                    stranded.addAll(pending);
                    pending.clear();
                }
            }
            LOG.warn("Executor {} lost ({}); {} running task(s) will be resubmitted", executorId, reason, lostTasks.size());
            executorLostHandler.accept(executorId);
            String why = "executor " + executorId + " was lost: " + reason;
            for (long taskId : lostTasks) {
                report(StatusUpdate.failed(taskId, "", new ExecutorLostException("Task " + taskId + " failed because "
                        + why, null), false, Map.of(), new TaskMetrics(), why));
            }
            for (TaskDescription task : stranded) {
                report(StatusUpdate.failed(task.taskId(), "", new ExecutorLostException(task.name() + " cannot run: "
                        + why + ", and no executor is left", null), false, Map.of(), new TaskMetrics(), why));
            }
        }
    }
}
