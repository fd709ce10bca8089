package dev.kindling.internal.cluster;

import dev.kindling.internal.scheduler.backend.BlockLocations;
import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.scheduler.backend.LocalityQueue;
import dev.kindling.internal.scheduler.backend.LocalityWait;
import dev.kindling.internal.scheduler.backend.TaskPreferences;
import dev.kindling.internal.scheduler.backend.ResultBlock;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.scheduler.TaskMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend of {@code local-cluster[E,C,M]}: runs task descriptions on the executor processes of a
 * {@link LocalCluster}.
 *
 * <ol>
 *   <li>{@link #launch} queues a description with its preferred locations in a {@link LocalityQueue};
 *       whenever an executor has a free slot (C per executor), executors with free slots (most free
 *       first) are offered the queue's choice for them: a task whose cached partition they hold, else
 *       (after {@code kindling.locality.wait.process}) one whose input is on their host, else (after
 *       {@code kindling.locality.wait.node}) any task; tasks without a preference go at once. When only
 *       a wait holds tasks back, a timer offers the free slots again when it ends.</li>
 *   <li>Executors report the cached RDD partitions they stored and dropped before the status update of
 *       the task that saw the change; {@link BlockLocations} keeps them, the scheduler asks it
 *       ({@link #cachedLocations}) for each task's preferences, and {@link #removeRdd} (unpersist) asks
 *       each executor to drop an RDD's blocks.</li>
 *   <li>Executors send encoded {@link StatusUpdate}s back; each is decoded here and handed to the
 *       scheduler's listener, and a final one frees its slot. An update whose result waits in a block on
 *       its executor ({@link ResultBlock}) gets a fetcher that fetches the block in chunks from that
 *       executor and then has it deleted; it is handed to the listener on a {@code kindling-result-getter}
 *       thread (as Spark's task result getter), so the scheduler's reading of it never blocks the
 *       driver's network threads.</li>
 *   <li>The broadcast ids of each description sent are remembered with the executor it went to;
 *       {@link #removeBroadcast} asks exactly those executors to drop their copy.</li>
 *   <li>{@link #killTask} drops a queued task (KILLED, never started) or asks its executor to kill it.</li>
 *   <li>When an executor is lost (its process exited or its heartbeats stopped), the executor-lost handler
 *       (the scheduler's {@code executorLost}, which forgets the map outputs it held) is called first (and
 *       the cached partitions it held are forgotten), then
 *       each task that ran there is reported FAILED with an {@link ExecutorLostException} that does not count
 *       toward {@code kindling.task.maxFailures} (the task did nothing wrong), so the scheduler runs it again
 *       elsewhere. With no executor left, queued tasks fail the same way, counted.</li>
 *   <li>{@link #checkExecutor} (a reduce task could not fetch from an executor) has the cluster ping it; one
 *       that does not answer is removed as lost, as above.</li>
 * </ol>
 * Task bytes always cross a process boundary, so {@link #serializesTasks()} is true.
 *
 * <p>Thread safety: {@link #launch} and {@link #killTask} may be called from any thread; status updates
 * and executor losses arrive on network and monitor threads. The listener is called outside the lock.
 */
public final class ClusterBackend implements ExecutorBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBackend.class);

    private final int parallelism;
    /** {@code kindling.shuffle.reduceLocality.enabled}. */
    private final boolean reduceLocality;
    private final Object lock = new Object();
    private final LocalityQueue<TaskDescription> pending;
    /** Free slots by registered executor. */
    private final Map<String, Integer> freeSlots = new LinkedHashMap<>();
    private final BlockLocations blockLocations = new BlockLocations();
    /** Offers free slots again when a locality wait ends; one daemon thread, stopped by {@link #shutdown}. */
    private final ScheduledExecutorService timer;
    /** When the pending timer fires (System.nanoTime), or Long.MAX_VALUE when none is set; under the lock. */
    private long timerDue = Long.MAX_VALUE;
    /** The executor of each task sent and not yet ended. */
    private final Map<Long, String> running = new HashMap<>();
    /** The executors sent a task that uses each broadcast (and so may hold a copy), by broadcast id. */
    private final Map<Long, Set<String>> broadcastHolders = new HashMap<>();
    /** Reads results that wait in blocks on executors, off the network threads. */
    private final ExecutorService resultGetter;
    private volatile StatusListener listener;
    private volatile Consumer<String> executorLostHandler = id -> { };
    /** Hears executors registering and being lost, for the scheduler's listener events. */
    private volatile ClusterListener executorEvents = (id, reason) -> { };
    private volatile LocalCluster cluster;
    private volatile boolean stopped;

    private ClusterBackend(int parallelism, LocalityWait wait, boolean reduceLocality) {
        this.parallelism = parallelism;
        this.reduceLocality = reduceLocality;
        this.pending = new LocalityQueue<>(wait);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kindling-locality-timer");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger threads = new AtomicInteger();
        this.resultGetter = Executors.newFixedThreadPool(RESULT_GETTER_THREADS, r -> {
            Thread t = new Thread(r, "kindling-result-getter-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Threads fetching large results at once (Spark's {@code spark.resultGetter.threads} default). */
    private static final int RESULT_GETTER_THREADS = 4;

    /**
     * Starts the executor processes of {@code settings} and returns the backend that runs tasks on them,
     * once every executor has registered; a failure to start stops whatever started.
     */
    public static ClusterBackend start(ClusterSettings settings) throws IOException {
        return start(settings, new LocalProcessLauncher(settings.master(), settings.conf()));
    }

    /** As {@link #start(ClusterSettings)}, with the executors started by {@code launcher} (YARN containers, say). */
    public static ClusterBackend start(ClusterSettings settings, ExecutorLauncher launcher) throws IOException {
        ClusterBackend backend = new ClusterBackend(launcher.executors() * launcher.coresPerExecutor(),
                LocalityWait.of(settings.conf()), MapOutputTracker.reduceLocalityEnabled(settings.conf()));
        try {
            backend.cluster = LocalCluster.start(settings, backend.new Events(), launcher);
        } catch (IOException | RuntimeException | Error e) {
            backend.timer.shutdownNow();
            backend.resultGetter.shutdownNow();
            throw e;
        }
        return backend;
    }

    /**
     * Sets what is called (once, with its id) when an executor is lost, before its running tasks are
     * reported failed: the scheduler's {@code executorLost}.
     */
    public void onExecutorLost(Consumer<String> handler) {
        this.executorLostHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Sets who hears of executors registering and being lost (with the reason) and of the cached blocks
     * they report, for listener events:
     * it is told at once of each executor registered so far, then of each later change. Registration
     * may race with this call, so an executor can be announced twice; the scheduler keeps the first.
     */
    public void onExecutorEvents(ClusterListener listener) {
        executorEvents = Objects.requireNonNull(listener, "listener");
        for (ExecutorInfo executor : cluster.executors()) {
            listener.executorAdded(executor);
        }
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

    /** The driver's record of which executor holds each cached partition (for tests and diagnostics). */
    public BlockLocations blockLocations() {
        return blockLocations;
    }

    @Override
    public boolean schedulesByLocality() {
        return true;
    }

    @Override
    public boolean reduceLocality() {
        return reduceLocality;
    }

    /** Pings the executor a reduce task could not fetch from; one that does not answer is removed as lost. */
    @Override
    public void checkExecutor(String executorId, String reason) {
        LocalCluster c = cluster;
        if (c != null && !stopped) {
            c.checkExecutor(executorId, reason);
        }
    }

    @Override
    public Set<String> cachedLocations(int rddId, int partition) {
        return blockLocations.executorsOf(rddId, partition);
    }

    @Override
    public void removeRdd(int rddId) {
        blockLocations.removeRdd(rddId);
        LocalCluster c = cluster;
        if (c == null || stopped) {
            return;
        }
        // Every live executor, not only those that reported blocks: a report may still be on its way.
        for (ExecutorInfo e : c.executors()) {
            try {
                c.removeRdd(e.executorId(), rddId);
            } catch (IOException | RuntimeException ex) {
                LOG.warn("Could not ask executor {} to remove the cached partitions of RDD {}; they stay until it "
                        + "evicts them: {}", e.executorId(), rddId, ex.toString());
            }
        }
        blockLocations.removeRdd(rddId); // what was reported while the executors removed them
    }

    @Override
    public void launch(TaskDescription task) {
        launch(task, TaskPreferences.NONE);
    }

    @Override
    public void launch(TaskDescription task, TaskPreferences preferences) {
        if (listener == null) {
            throw new IllegalStateException("ClusterBackend.launch before start: the scheduler starts its backend");
        }
        synchronized (lock) {
            pending.add(task.taskId(), taskSet(task), preferences, task, nowMillis());
        }
        dispatch();
    }

    /** The task set a task belongs to: its stage attempt. */
    private static long taskSet(TaskDescription task) {
        return ((long) task.stageId() << 32) | (task.stageAttempt() & 0xffffffffL);
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void killTask(long taskId, boolean interrupt, String reason) {
        String executorId;
        synchronized (lock) {
            if (pending.remove(taskId) != null) {
                report(StatusUpdate.killedBeforeStart(taskId, reason));
                return;
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

    /**
     * Asks every executor that was sent a task using broadcast {@code broadcastId} to drop its copy (the
     * broadcast was unpersisted or destroyed on the driver, or its handle collected); with
     * {@code blocking}, returns once they all have, so a task launched afterwards fetches it again from
     * the driver (and fails if it was destroyed). Does nothing once the backend is stopped.
     */
    public void removeBroadcast(long broadcastId, boolean blocking) {
        Set<String> holders;
        synchronized (lock) {
            holders = broadcastHolders.remove(broadcastId);
        }
        LocalCluster c = cluster;
        if (holders == null || stopped || c == null) {
            return;
        }
        c.removeBroadcast(broadcastId, holders, blocking);
    }

    @Override
    public List<String> shutdown(long timeoutMillis) {
        stopped = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resultGetter.shutdownNow(); // a fetch in progress fails when the cluster's connections close
        LocalCluster c = cluster;
        if (c != null) {
            c.close();
        }
        try {
            if (!resultGetter.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A result getter thread did not stop within 10 s of the cluster's close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    /**
     * Sends queued tasks to free slots, each where the locality queue says; a task that cannot be sent
     * is reported failed. Offers go round the executors with free slots (most free first) until a round
     * places nothing; if tasks are then held back only by a locality wait, the timer comes back when it ends.
     */
    private void dispatch() {
        List<StatusUpdate> failures = new ArrayList<>();
        synchronized (lock) {
            String unavailable = freeSlots.isEmpty() && !pending.isEmpty() && !stopped ? cluster.unavailable() : null;
            if (unavailable != null) { // no executor left, and none will come
                for (TaskDescription task : pending.drain()) {
                    failures.add(StatusUpdate.failed(task.taskId(), "", new ExecutorLostException(task.name()
                            + " cannot run: no executor is left and none will come: " + unavailable, null), false,
                            Map.of(), new TaskMetrics(), unavailable));
                }
            }
            long now = nowMillis();
            boolean placed = true;
            while (placed && !pending.isEmpty() && !stopped) {
                placed = false;
                for (String executorId : executorsWithFreeSlots()) {
                    if (!cluster.isRegistered(executorId)) {
                        // Removed as lost, and its executorLost call has not come yet: offering its slots
                        // would fail task after task on it (each a failed attempt) until that call comes.
                        freeSlots.remove(executorId);
                        continue;
                    }
                    LocalityQueue.Placed<TaskDescription> p = pending.poll(executorId, now);
                    if (p == null) {
                        continue;
                    }
                    placed = true;
                    TaskDescription task = p.task();
                    try {
                        for (long broadcastId : task.broadcastIds()) { // before it runs, so a removal reaches it
                            broadcastHolders.computeIfAbsent(broadcastId, id -> new HashSet<>()).add(executorId);
                        }
                        listener.launched(task.taskId(), executorId, p.locality());
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
            if (!pending.isEmpty() && !stopped && !executorsWithFreeSlots().isEmpty()) {
                scheduleRetry(pending.nextWaitEnd(now));
            }
        }
        failures.forEach(this::report);
    }

    /** Executors with a free slot, most free slots first. */
    private List<String> executorsWithFreeSlots() {
        List<Map.Entry<String, Integer>> free = new ArrayList<>();
        for (Map.Entry<String, Integer> e : freeSlots.entrySet()) {
            if (e.getValue() > 0) {
                free.add(e);
            }
        }
        free.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        List<String> ids = new ArrayList<>(free.size());
        for (Map.Entry<String, Integer> e : free) {
            ids.add(e.getKey());
        }
        return ids;
    }

    /** Makes the timer call {@link #dispatch} in {@code delayMillis} (none when negative), unless it comes sooner. */
    private void scheduleRetry(long delayMillis) {
        if (delayMillis < 0) {
            return;
        }
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        if (timerDue != Long.MAX_VALUE && timerDue - due <= 0) {
            return; // one is set that fires no later
        }
        timerDue = due;
        try {
            timer.schedule(() -> {
                synchronized (lock) {
                    timerDue = Long.MAX_VALUE;
                }
                dispatch();
            }, delayMillis + 1, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Hands an update to the scheduler (which knows the task's executor from {@code launched}). */
    private void report(StatusUpdate update) {
        try {
            listener.statusUpdate(update);
        } catch (RuntimeException e) {
            LOG.warn("The scheduler did not take {}: {}", update, e.toString());
        }
    }

    /**
     * Runs {@code work} on a result getter thread; once the backend is stopped, runs it here (it then
     * fails fast, the cluster's connections being closed), so a result's reader always hears of it.
     */
    private void offNetworkThread(Runnable work) {
        try {
            resultGetter.execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    /** What the cluster tells the backend: executors coming and going, and status updates. */
    private final class Events implements ClusterListener {

        @Override
        public void executorAdded(ExecutorInfo executor) {
            synchronized (lock) {
                freeSlots.put(executor.executorId(), executor.cores());
                pending.executorAdded(executor.executorId(), executor.host());
            }
            executorEvents.executorAdded(executor);
            dispatch();
        }

        @Override
        public void blocksUpdated(String executorId, int[] stored, int[] removed) {
            blockLocations.update(executorId, blocks(stored), blocks(removed));
            executorEvents.blocksUpdated(executorId, stored, removed);
        }

        private List<BlockLocations.CachedBlock> blocks(int[] pairs) {
            List<BlockLocations.CachedBlock> out = new ArrayList<>(pairs.length / 2);
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                out.add(new BlockLocations.CachedBlock(pairs[i], pairs[i + 1]));
            }
            return out;
        }

        @Override
        public void statusUpdate(String executorId, byte[] bytes) {
            StatusUpdate decoded;
            try {
                decoded = StatusUpdate.decode(bytes);
            } catch (IOException e) {
                LOG.error("Executor {} sent a status update that cannot be decoded ({} bytes): {}", executorId,
                        bytes.length, e.toString());
                return;
            }
            StatusUpdate update = decoded.resultBlock() == null ? decoded
                    : decoded.withResultFetcher(new ResultBlockFetcher(() -> stopped ? null : cluster, executorId));
            if (update.state().isFinal()) {
                synchronized (lock) {
                    String ranOn = running.remove(update.taskId());
                    if (ranOn == null) {
                        // Already reported failed when its executor was lost: nobody reads its result.
                        offNetworkThread(update::dropResult);
                        return;
                    }
                    freeSlots.computeIfPresent(ranOn, (id, free) -> free + 1);
                }
            }
            if (update.resultBlock() != null) {
                offNetworkThread(() -> report(update));
            } else {
                report(update);
            }
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
                pending.executorRemoved(executorId);
                for (Iterator<Map.Entry<Long, String>> it = running.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, String> e = it.next();
                    if (e.getValue().equals(executorId)) {
                        lostTasks.add(e.getKey());
                        it.remove();
                    }
                }
                if (freeSlots.isEmpty()) {
                    stranded.addAll(pending.drain());
                }
            }
            int blocks = blockLocations.removeExecutor(executorId);
            LOG.warn("Executor {} lost ({}); {} running task(s) will be resubmitted; {} cached partition(s) it held will be "
                    + "recomputed where needed", executorId, reason, lostTasks.size(), blocks);
            executorLostHandler.accept(executorId);
            executorEvents.executorLost(executorId, reason);
            dispatch(); // tasks that waited for it may run elsewhere now
            String why = "executor " + executorId + " was lost: " + reason;
            for (long taskId : lostTasks) {
                // Not the task's fault: the scheduler does not count it toward kindling.task.maxFailures.
                report(StatusUpdate.failed(taskId, "", new ExecutorLostException("Task " + taskId + " failed because "
                        + why, null, false), false, Map.of(), new TaskMetrics(), why));
            }
            for (TaskDescription task : stranded) {
                report(StatusUpdate.failed(task.taskId(), "", new ExecutorLostException(task.name() + " cannot run: "
                        + why + ", and no executor is left", null), false, Map.of(), new TaskMetrics(), why));
            }
        }
    }
}
