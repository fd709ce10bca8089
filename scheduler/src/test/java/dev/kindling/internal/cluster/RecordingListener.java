package dev.kindling.internal.cluster;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A cluster listener that records what it hears, for tests to wait on. */
final class RecordingListener implements ClusterListener {

    /** Executor id and status of each status update. */
    record Update(String executorId, TestTasks.Status status) {
    }

    final List<String> added = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    final List<String> lostReasons = new CopyOnWriteArrayList<>();
    final List<String> heartbeats = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Update> updates = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> losses = new LinkedBlockingQueue<>();

    @Override
    public void executorAdded(ExecutorInfo executor) {
        added.add(executor.executorId());
    }

    @Override
    public void executorLost(String executorId, String reason) {
        lost.add(executorId);
        lostReasons.add(reason);
        losses.add(executorId);
    }

    @Override
    public void statusUpdate(String executorId, byte[] update) {
        updates.add(new Update(executorId, TestTasks.readStatus(update)));
    }

    @Override
    public void heartbeat(String executorId, byte[] metrics) {
        if (!heartbeats.contains(executorId)) {
            heartbeats.add(executorId);
        }
    }

    /** The next status update; fails after {@code seconds} (a hang guard, not a timing assertion). */
    Update nextUpdate(int seconds) throws InterruptedException {
        Update u = updates.poll(seconds, TimeUnit.SECONDS);
        if (u == null) {
            throw new AssertionError("no status update within " + seconds + " s");
        }
        return u;
    }

    /** The next status update, or null after {@code ms}. */
    Update pollUpdate(long ms) throws InterruptedException {
        return updates.poll(ms, TimeUnit.MILLISECONDS);
    }

    /** The id of the next executor lost; fails after {@code seconds} (a hang guard). */
    String nextLoss(int seconds) throws InterruptedException {
        String id = losses.poll(seconds, TimeUnit.SECONDS);
        if (id == null) {
            throw new AssertionError("no executor lost within " + seconds + " s");
        }
        return id;
    }
}
