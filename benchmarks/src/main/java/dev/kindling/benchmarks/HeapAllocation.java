package dev.kindling.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated by this JVM's threads between two points, from HotSpot's per-thread
 * allocation counters ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}). Unlike
 * time, the figure does not depend on the machine's load, so it shows an engine's per-record
 * overhead (objects made per word) on a noisy host.
 *
 * <p>A thread that ends between the two points takes its bytes with it: this measures engines whose
 * work runs on pooled threads that outlive a run (Kindling's executor threads, a {@code ForkJoinPool},
 * Spark's task threads), in this JVM only (not executor processes).
 */
final class HeapAllocation {

    private final com.sun.management.ThreadMXBean threads;
    private final Map<Long, Long> start;

    private HeapAllocation(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
        this.start = threads == null ? Map.of() : perThread(threads);
    }

    /** Starts counting now; {@link #supported()} says whether this JVM can. */
    static HeapAllocation start() {
        return new HeapAllocation(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled() ? t : null);
    }

    /** Whether this JVM counts allocation per thread (HotSpot does by default). */
    boolean supported() {
        return threads != null;
    }

    /**
     * Bytes allocated since {@link #start()} by the threads alive now (a thread started since counts
     * from zero), or -1 where {@link #supported() not supported}.
     */
    long bytes() {
        if (threads == null) {
            return -1;
        }
        long sum = 0;
        for (Map.Entry<Long, Long> e : perThread(threads).entrySet()) {
            Long before = start.get(e.getKey());
            sum += e.getValue() - (before == null ? 0 : before);
        }
        return sum;
    }

    private static Map<Long, Long> perThread(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) { // -1: the thread ended between the two calls
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }
}
