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
        this.start = perThread(threads);
    }

    /** Whether this JVM counts allocation per thread (HotSpot does by default). */
    static boolean supported() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled();
    }

    /**
     * Starts counting now.
     *
     * @throws UnsupportedOperationException where this JVM does not count allocation per thread ({@link #supported()})
     */
    static HeapAllocation start() {
        if (!supported()) {
            throw new UnsupportedOperationException("This JVM (" + System.getProperty("java.vm.name")
                    + ") does not count heap allocation per thread; check HeapAllocation.supported() first");
        }
        return new HeapAllocation((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean());
    }

    /** Bytes allocated since {@link #start()} by the threads alive now (a thread started since counts from zero). */
    long bytes() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : perThread(threads).entrySet()) {
            sum += e.getValue() - start.getOrDefault(e.getKey(), 0L);
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
