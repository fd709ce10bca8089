package dev.kindling.internal.scheduler.backend;

import dev.kindling.scheduler.TaskLocality;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tasks waiting for a slot, and which of them an executor with a free slot should run now: delay
 * scheduling as Spark's {@code TaskSetManager} does it. It knows no processes and no clock of its own
 * (every call is given the time), so it is tested with fake executors and hosts.
 *
 * <ol>
 *   <li>Tasks are grouped in task sets (one per stage attempt), served in the order the sets were
 *       first seen (FIFO, as Spark's default pool).</li>
 *   <li>For an executor with a free slot, a task set offers first a task whose cached partition is
 *       on that executor (PROCESS_LOCAL), then, if its allowed level reaches it, one whose input is on
 *       the executor's host (NODE_LOCAL), then a task without a preference (NO_PREF, always allowed:
 *       such tasks never wait), then, if allowed, any task (ANY).</li>
 *   <li>A set's allowed level starts at PROCESS_LOCAL and moves one level up when no task was
 *       launched at the current level for that level's wait ({@link LocalityWait}); a level that no
 *       waiting task can use (no live executor there) is skipped at once. A launch at a level moves
 *       the allowed level back down to it and restarts the wait.</li>
 *   <li>A task whose preferred executors and hosts have no live executor counts as having no
 *       preference: it runs at once. When an executor is lost, tasks that preferred only it become
 *       such tasks.</li>
 * </ol>
 * {@link #nextWaitEnd} says when a wait ends, so that the caller can offer its free slots again then.
 *
 * <p>Thread safety: none; the cluster backend calls it under its lock.
 *
 * @param <T> what is queued (a task description)
 */
public final class LocalityQueue<T> {

    /** A task chosen for an executor, and how local it is there. */
    public record Placed<T>(long taskId, T task, TaskLocality locality) {
    }

    private static final int PROCESS = 0;
    private static final int NODE = 1;
    private static final int ANY = 2;

    private final LocalityWait wait;
    /** Live executors and their hosts. */
    private final Map<String, String> executorHosts = new HashMap<>();
    /** Number of live executors per host. */
    private final Map<String, Integer> hostExecutors = new HashMap<>();
    private final Map<Long, TaskSet<T>> sets = new LinkedHashMap<>();
    private final Map<Long, Entry<T>> byId = new HashMap<>();

    /** A queue that waits {@code wait} at each level. */
    public LocalityQueue(LocalityWait wait) {
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** An executor on {@code host} can take tasks now. */
    public void executorAdded(String executorId, String host) {
        String old = executorHosts.put(executorId, host);
        if (old != null) {
            hostExecutors.merge(old, -1, (a, b) -> a + b == 0 ? null : a + b);
        }
        hostExecutors.merge(host, 1, Integer::sum);
    }

    /** An executor is gone: tasks that preferred only it (or its host) now run anywhere at once. */
    public void executorRemoved(String executorId) {
        String host = executorHosts.remove(executorId);
        if (host == null) {
            return;
        }
        hostExecutors.merge(host, -1, (a, b) -> a + b == 0 ? null : a + b);
        for (TaskSet<T> set : sets.values()) {
            List<Entry<T>> orphans = new ArrayList<>();
            ArrayDeque<Entry<T>> mine = set.forExecutor.remove(executorId);
            if (mine != null) {
                orphans.addAll(mine);
            }
            if (!hostExecutors.containsKey(host)) {
                ArrayDeque<Entry<T>> onHost = set.forHost.remove(host);
                if (onHost != null) {
                    orphans.addAll(onHost);
                }
            }
            for (Entry<T> e : orphans) {
                if (!e.done && !hasLivePreference(e.prefs)) {
                    set.noPref.add(e);
                }
            }
        }
    }

    /** Whether executor {@code executorId} is known and live. */
    public boolean isLive(String executorId) {
        return executorHosts.containsKey(executorId);
    }

    /**
     * Queues task {@code taskId} of task set {@code taskSet} (a stage attempt) with its preferences;
     * {@code now} in milliseconds starts the set's wait when the set is new.
     */
    public void add(long taskId, long taskSet, TaskPreferences prefs, T task, long now) {
        Objects.requireNonNull(prefs, "prefs");
        TaskSet<T> set = sets.computeIfAbsent(taskSet, k -> new TaskSet<>(now));
        Entry<T> e = new Entry<>(taskId, taskSet, task, prefs);
        byId.put(taskId, e);
        set.pending++;
        set.all.add(e);
        if (!hasLivePreference(prefs)) {
            set.noPref.add(e);
            return;
        }
        for (String executor : prefs.executors()) {
            set.forExecutor.computeIfAbsent(executor, k -> new ArrayDeque<>()).add(e);
            String host = executorHosts.get(executor);
            if (host != null) {
                set.forHost.computeIfAbsent(host, k -> new ArrayDeque<>()).add(e);
            }
        }
        for (String host : prefs.hosts()) {
            set.forHost.computeIfAbsent(host, k -> new ArrayDeque<>()).add(e);
        }
    }

    /**
     * The task that executor {@code executorId} should run now, removed from the queue, or null when
     * none may run there yet (or it is not a live executor).
     */
    public Placed<T> poll(String executorId, long now) {
        String host = executorHosts.get(executorId);
        if (host == null) {
            return null;
        }
        for (Iterator<TaskSet<T>> it = sets.values().iterator(); it.hasNext(); ) {
            TaskSet<T> set = it.next();
            if (set.pending == 0) {
                it.remove();
                continue;
            }
            int allowed = allowedLevel(set, now);
            TaskLocality level = TaskLocality.PROCESS_LOCAL;
            Entry<T> e = take(set.forExecutor.get(executorId));
            if (e == null && allowed >= NODE) {
                level = TaskLocality.NODE_LOCAL;
                e = take(set.forHost.get(host));
            }
            if (e == null) {
                level = TaskLocality.NO_PREF;
                e = take(set.noPref);
            }
            if (e == null && allowed >= ANY) {
                level = TaskLocality.ANY;
                e = take(set.all);
            }
            if (e == null) {
                continue;
            }
            finish(set, e);
            if (level == TaskLocality.NO_PREF && !e.prefs.isEmpty()) {
                level = TaskLocality.ANY; // it had preferences, but no live executor could meet them
            }
            if (level != TaskLocality.NO_PREF) {
                set.levelIndex = level == TaskLocality.PROCESS_LOCAL ? PROCESS : level == TaskLocality.NODE_LOCAL ? NODE : ANY;
                set.lastLaunch = now;
            }
            if (set.pending == 0) {
                it.remove();
            }
            return new Placed<>(e.taskId, e.task, level);
        }
        return null;
    }

    /** Removes a queued task; returns it, or null when it is not queued. */
    public T remove(long taskId) {
        Entry<T> e = byId.get(taskId);
        if (e == null) {
            return null;
        }
        TaskSet<T> set = sets.get(e.taskSet);
        finish(set, e);
        if (set.pending == 0) {
            sets.remove(e.taskSet);
        }
        return e.task;
    }

    /** Removes and returns every queued task, oldest task set first. */
    public List<T> drain() {
        List<T> out = new ArrayList<>();
        for (TaskSet<T> set : sets.values()) {
            for (Entry<T> e : set.all) {
                if (!e.done) {
                    e.done = true;
                    out.add(e.task);
                }
            }
        }
        sets.clear();
        byId.clear();
        return out;
    }

    /** Number of queued tasks. */
    public int size() {
        return byId.size();
    }

    /** Whether no task is queued. */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /**
     * Milliseconds from {@code now} until the first task set's wait at its current level ends (0 if one
     * already has), or -1 when no task set waits (every one allows ANY, or none is queued).
     */
    public long nextWaitEnd(long now) {
        long next = -1;
        for (TaskSet<T> set : sets.values()) {
            if (set.pending == 0) {
                continue;
            }
            int level = allowedLevel(set, now);
            if (level < ANY) {
                long in = Math.max(0, set.lastLaunch + wait.millis(level) - now);
                next = next < 0 ? in : Math.min(next, in);
            }
        }
        return next;
    }

    /**
     * The farthest level the set may launch at now, as Spark's {@code getAllowedLocalityLevel}: moves
     * past levels that no waiting task can use, and past levels whose wait has run out.
     */
    private int allowedLevel(TaskSet<T> set, long now) {
        while (set.levelIndex < ANY) {
            boolean waiting = set.levelIndex == PROCESS
                    ? hasWaiting(set.forExecutor, executorHosts)
                    : hasWaiting(set.forHost, hostExecutors);
            long levelWait = wait.millis(set.levelIndex);
            if (!waiting) {
                set.lastLaunch = now;
                set.levelIndex++;
            } else if (now - set.lastLaunch >= levelWait) {
                set.lastLaunch += levelWait;
                set.levelIndex++;
            } else {
                break;
            }
        }
        return set.levelIndex;
    }

    /** Whether a list of a live executor or host still holds a waiting task (dropping launched ones). */
    private static <T> boolean hasWaiting(Map<String, ArrayDeque<Entry<T>>> lists, Map<String, ?> live) {
        for (Map.Entry<String, ArrayDeque<Entry<T>>> l : lists.entrySet()) {
            if (live.containsKey(l.getKey())) {
                ArrayDeque<Entry<T>> q = l.getValue();
                while (!q.isEmpty() && q.peekFirst().done) {
                    q.pollFirst();
                }
                if (!q.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean hasLivePreference(TaskPreferences prefs) {
        for (String executor : prefs.executors()) {
            if (executorHosts.containsKey(executor)) {
                return true;
            }
        }
        for (String host : prefs.hosts()) {
            if (hostExecutors.containsKey(host)) {
                return true;
            }
        }
        return false;
    }

    private static <T> Entry<T> take(ArrayDeque<Entry<T>> q) {
        if (q == null) {
            return null;
        }
        while (!q.isEmpty()) {
            Entry<T> e = q.pollFirst();
            if (!e.done) {
                return e;
            }
        }
        return null;
    }

    private void finish(TaskSet<T> set, Entry<T> e) {
        if (!e.done) {
            e.done = true;
            set.pending--;
            byId.remove(e.taskId);
        }
    }

    /** One queued task; stays in several lists until taken from one (the others skip it then). */
    private static final class Entry<T> {
        final long taskId;
        final long taskSet;
        final T task;
        final TaskPreferences prefs;
        boolean done;

        Entry(long taskId, long taskSet, T task, TaskPreferences prefs) {
            this.taskId = taskId;
            this.taskSet = taskSet;
            this.task = task;
            this.prefs = prefs;
        }
    }

    /** The waiting tasks of one stage attempt, indexed by where they prefer to run, and its delay state. */
    private static final class TaskSet<T> {
        final Map<String, ArrayDeque<Entry<T>>> forExecutor = new HashMap<>();
        final Map<String, ArrayDeque<Entry<T>>> forHost = new HashMap<>();
        final ArrayDeque<Entry<T>> noPref = new ArrayDeque<>();
        final ArrayDeque<Entry<T>> all = new ArrayDeque<>();
        int pending;
        int levelIndex = PROCESS;
        long lastLaunch;

        TaskSet(long now) {
            this.lastLaunch = now;
        }
    }
}
