package dev.kindling;

import dev.kindling.scheduler.TaskContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters, by group and name, that subprocesses bump with Hadoop Streaming's reporter
 * protocol ({@code reporter:counter:<group>,<counter>,<amount>} on stderr) and that the caller
 * reads after the action, like Hadoop's job counters.
 *
 * <p>The counters are an accumulator: {@link #attach} registers it with a context, each task attempt
 * adds to its own copy, and the copies of successful attempts are merged on the driver from their
 * status updates, with the accumulator rule: an attempt of a result stage (the action's own tasks)
 * counts once per partition; an attempt of a shuffle-map stage counts each time it succeeds, which
 * only matters when lost shuffle output is recomputed. A failed or killed attempt's updates are
 * dropped, so retries never count twice.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class StreamingCounters implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final Totals totals = new Totals();

    /** Creates an empty set of counters. */
    public StreamingCounters() {
    }

    /** Adds {@code amount} to a counter directly (driver-side code, or a test). */
    public void add(String group, String counter, long amount) {
        totals.addNow(group, counter, amount);
    }

    /** The value of a counter; 0 if never incremented. */
    public long get(String group, String counter) {
        Map<String, Long> g = totals.value().get(group);
        return g == null ? 0 : g.getOrDefault(counter, 0L);
    }

    /** A copy of all counters: group to (counter to value), both sorted by name. */
    public Map<String, Map<String, Long>> snapshot() {
        return totals.value();
    }

    /**
     * Records an increment made by the task attempt {@code task} (from any thread, such as the one
     * reading a subprocess's stderr); it reaches the totals only if the attempt succeeds. Call
     * {@link #attach} for the task's context first.
     */
    public void addFromTask(TaskContext task, String group, String counter, long amount) {
        Totals target = totals.isDriverSide() ? (Totals) totals.copyIn(task) : totals;
        target.addNow(group, counter, amount);
    }

    /**
     * Registers the counters with {@code context}, so tasks of its jobs can add to them; idempotent.
     * Counters registered with one context stay with it.
     */
    public void attach(KindlingContext context) {
        synchronized (totals) {
            if (!totals.isRegistered()) {
                context.register(totals, "streaming counters");
            }
        }
    }

    @Override
    public String toString() {
        return "StreamingCounters" + totals.value();
    }

    /** The accumulator behind the counters: group to (counter to sum). */
    private static final class Totals extends AccumulatorV2<Map.Entry<String, Map.Entry<String, Long>>,
            Map<String, Map<String, Long>>> {

        private static final long serialVersionUID = 1L;

        private TreeMap<String, TreeMap<String, Long>> counts = new TreeMap<>();

        synchronized void addNow(String group, String counter, long amount) {
            counts.computeIfAbsent(group, g -> new TreeMap<>()).merge(counter, amount, Long::sum);
        }

        @Override
        public synchronized boolean isZero() {
            return counts.isEmpty();
        }

        @Override
        public synchronized Totals copy() {
            Totals c = new Totals();
            counts.forEach((g, m) -> c.counts.put(g, new TreeMap<>(m)));
            return c;
        }

        @Override
        public synchronized void reset() {
            counts = new TreeMap<>();
        }

        @Override
        public void add(Map.Entry<String, Map.Entry<String, Long>> v) {
            Totals task = (Totals) taskCopy();
            (task == null ? this : task).addNow(v.getKey(), v.getValue().getKey(), v.getValue().getValue());
        }

        @Override
        public void merge(AccumulatorV2<Map.Entry<String, Map.Entry<String, Long>>, Map<String, Map<String, Long>>> other) {
            if (!(other instanceof Totals o)) {
                throw new UnsupportedOperationException("Cannot merge streaming counters with "
                        + (other == null ? "null" : other.getClass().getName()));
            }
            o.value().forEach((g, m) -> m.forEach((c, n) -> addNow(g, c, n)));
        }

        @Override
        public synchronized Map<String, Map<String, Long>> value() {
            Map<String, Map<String, Long>> copy = new TreeMap<>();
            counts.forEach((g, c) -> copy.put(g, new TreeMap<>(c)));
            return copy;
        }
    }
}
