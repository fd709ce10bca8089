package dev.kindling;

import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.scheduler.DAGScheduler;
import dev.kindling.scheduler.TaskContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Named counters, by group and name, that subprocesses bump with Hadoop Streaming's reporter
 * protocol ({@code reporter:counter:<group>,<counter>,<amount>} on stderr) and that the caller
 * reads after the action, like Hadoop's job counters.
 *
 * <p>Only successful attempts count: each task attempt collects its own updates, and they are
 * merged into this registry when the scheduler reports the attempt successful (on its event thread,
 * before the action returns). A failed or killed attempt's updates are dropped, so retries never
 * count twice. An attempt of a result stage (the action's own tasks) counts once per partition; an
 * attempt of a shuffle-map stage counts each time it succeeds (Spark's accumulator rule), which only
 * matters when lost shuffle output is recomputed.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class StreamingCounters implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    /** Live registries by id, so a task's deserialized copy of a function reaches the one it captured. */
    private static final Map<Long, java.lang.ref.WeakReference<StreamingCounters>> LIVE =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final long id = IDS.incrementAndGet();
    private final Map<String, Map<String, Long>> totals = new TreeMap<>();
    private final Map<TaskContext, Map<String, Map<String, Long>>> pending = new WeakHashMap<>();
    private final Set<DAGScheduler> attached = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Creates an empty registry. */
    public StreamingCounters() {
        LIVE.values().removeIf(ref -> ref.get() == null);
        LIVE.put(id, new java.lang.ref.WeakReference<>(this));
    }

    /**
     * Serialized as a handle: functions capturing a registry are copied per task (as on a
     * cluster), and every copy must still add to this one registry.
     */
    private Object writeReplace() {
        return new Handle(id);
    }

    /** The serialized form of a registry: its id, resolved to the live instance on reading. */
    private record Handle(long id) implements java.io.Serializable {
        private Object readResolve() throws java.io.ObjectStreamException {
            java.lang.ref.WeakReference<StreamingCounters> ref = LIVE.get(id);
            StreamingCounters counters = ref == null ? null : ref.get();
            if (counters == null) {
                throw new java.io.InvalidObjectException("StreamingCounters " + id + " no longer exists in this JVM");
            }
            return counters;
        }
    }

    /** Adds {@code amount} to a counter directly (driver-side code, or a test). */
    public synchronized void add(String group, String counter, long amount) {
        addTo(totals, group, counter, amount);
    }

    /** The value of a counter; 0 if never incremented. */
    public synchronized long get(String group, String counter) {
        Map<String, Long> g = totals.get(group);
        return g == null ? 0 : g.getOrDefault(counter, 0L);
    }

    /** A copy of all counters: group to (counter to value), both sorted by name. */
    public synchronized Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        totals.forEach((g, c) -> copy.put(g, new TreeMap<>(c)));
        return copy;
    }

    /**
     * Records an increment made by the task attempt {@code task}; it reaches the totals only if
     * the attempt succeeds. Call {@link #attach} for the task's context first.
     */
    public synchronized void addFromTask(TaskContext task, String group, String counter, long amount) {
        addTo(pending.computeIfAbsent(task, t -> new TreeMap<>()), group, counter, amount);
    }

    /** Makes this registry hear of successful attempts of {@code context}'s jobs; idempotent. */
    public synchronized void attach(KindlingContext context) {
        DAGScheduler scheduler = ContextInternals.of(context).scheduler();
        if (attached.add(scheduler)) {
            scheduler.addTaskOutcomeObserver(this::onTaskSucceeded);
        }
    }

    private synchronized void onTaskSucceeded(TaskContext task, boolean resultTask, boolean firstSuccess) {
        Map<String, Map<String, Long>> updates = pending.remove(task);
        if (updates == null || (resultTask && !firstSuccess)) {
            return;
        }
        updates.forEach((g, counters) -> counters.forEach((c, n) -> addTo(totals, g, c, n)));
    }

    private static void addTo(Map<String, Map<String, Long>> target, String group, String counter, long amount) {
        target.computeIfAbsent(group, g -> new TreeMap<>()).merge(counter, amount, Long::sum);
    }

    @Override
    public synchronized String toString() {
        return "StreamingCounters" + totals;
    }
}
