package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The program {@link SmallHeapReliabilityTest} runs in a separate small-heap JVM: shuffles over
 * about three times a 64 MB budget, each checked against a plain-loop reference. Prints one
 * {@code OK <operation>} line per check, then {@code SPILLS n} and {@code PEAK_HEAP bytes}; any
 * mismatch or error exits non-zero.
 */
public final class SmallHeapWorkload {

    static final long N = Long.getLong("workload.records", 2_000_000L);
    private static final String[] COLLIDING = new String[1024];
    private static final String LONG_KEY = "x".repeat(2000);

    static {
        for (int c = 0; c < COLLIDING.length; c++) {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < 10; b++) {
                sb.append(((c >> b) & 1) == 0 ? "Aa" : "BB"); // every combination has the same hashCode
            }
            COLLIDING[c] = sb.toString();
        }
    }

    private SmallHeapWorkload() {
    }

    static String key(long i) {
        if (i % 1000 == 0) {
            return null;
        }
        if (i % 10 == 1) {
            return COLLIDING[(int) ((i / 10) % COLLIDING.length)];
        }
        if (i % 997 == 5) {
            return i % 2 == 0 ? "" : LONG_KEY;
        }
        return "k" + (i % 100_000);
    }

    static long value(long i) {
        return i % 5000 == 3 ? Long.MAX_VALUE - i : i;
    }

    private static void check(String op, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            System.out.println("MISMATCH " + op);
            System.exit(3);
        }
        System.out.println("OK " + op);
    }

    public static void main(String[] args) {
        long[] peakLive = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long live = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                peakLive[0] = Math.max(peakLive[0], live);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        Map<String, long[]> ref = new HashMap<>();
        for (long i = 0; i < N; i++) {
            long[] s = ref.computeIfAbsent(key(i), k -> new long[2]);
            s[0]++;
            s[1] += value(i);
        }
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 64L << 20).build()) {
            PairRDD<String, Long> data = kc.range(0, N, 1, 8).mapToPair(i -> Pair.of(key(i), value(i)));

            Map<String, Long> sums = new HashMap<>();
            data.reduceByKey(Long::sum, 6).collect().forEach(p -> sums.put(p.key(), p.value()));
            Map<String, Long> refSums = new HashMap<>();
            ref.forEach((k, s) -> refSums.put(k, s[1]));
            check("reduceByKey", refSums, sums);
            sums.clear();
            refSums.clear();

            Map<String, List<Long>> grouped = new HashMap<>();
            data.groupByKey(6).mapValues(vs -> {
                long n = 0;
                long sum = 0;
                for (long v : vs) {
                    n++;
                    sum += v;
                }
                return List.of(n, sum);
            }).collect().forEach(p -> grouped.put(p.key(), p.value()));
            Map<String, List<Long>> refGroups = new HashMap<>();
            ref.forEach((k, s) -> refGroups.put(k, List.of(s[0], s[1])));
            check("groupByKey", refGroups, grouped);
            grouped.clear();
            refGroups.clear();

            PairRDD<String, Long> other = kc.range(0, 300_000, 1, 3).mapToPair(i -> Pair.of(key(i * 7), -1L));
            Map<String, List<Long>> co = new HashMap<>();
            data.cogroup(other, 6).mapValues(p -> {
                long a = 0;
                long b = 0;
                for (Long ignored : p.key()) {
                    a++;
                }
                for (Long ignored : p.value()) {
                    b++;
                }
                return List.of(a, b);
            }).collect().forEach(p -> co.put(p.key(), p.value()));
            Map<String, long[]> otherCounts = new HashMap<>();
            for (long i = 0; i < 300_000; i++) {
                otherCounts.computeIfAbsent(key(i * 7), k -> new long[1])[0]++;
            }
            Map<String, List<Long>> refCo = new HashMap<>();
            ref.forEach((k, s) -> refCo.put(k, List.of(s[0], 0L)));
            otherCounts.forEach((k, c) -> refCo.merge(k, List.of(0L, c[0]), (x, y) -> List.of(x.get(0), y.get(1))));
            check("cogroup", refCo, co);
            co.clear();
            refCo.clear();

            List<List<Object>> runs = data.filter(p -> p.key() != null).sortByKey(true, 4).rdd()
                    .mapPartitionsWithIndex((idx, it) -> {
                        String first = null;
                        String prev = null;
                        long n = 0;
                        boolean sorted = true;
                        while (it.hasNext()) {
                            String k = it.next().key();
                            if (prev != null && prev.compareTo(k) > 0) {
                                sorted = false;
                            }
                            if (first == null) {
                                first = k;
                            }
                            prev = k;
                            n++;
                        }
                        List<Object> r = new ArrayList<>();
                        r.add(first);
                        r.add(prev);
                        r.add(n);
                        r.add(sorted);
                        return List.<List<Object>>of(r).iterator();
                    }, false).collect();
            long total = 0;
            String last = null;
            boolean ordered = true;
            for (List<Object> r : runs) {
                total += (Long) r.get(2);
                ordered &= (Boolean) r.get(3);
                if (r.get(0) != null) {
                    ordered &= last == null || last.compareTo((String) r.get(0)) <= 0;
                    last = (String) r.get(1);
                }
            }
            check("sortByKey count", N - ref.get(null)[0], total);
            check("sortByKey order", true, ordered);

            long spills = ((SpillingShuffleStore) ContextInternals.of(kc).shuffleStore()).spillCount() + ContextInternals.of(kc).memoryManager().spillRequests();
            System.out.println("SPILLS " + spills);
        }
        sampler.interrupt();
        // Heap in use right after a GC (live data, including the reference maps above), at its highest.
        System.out.println("PEAK_LIVE_HEAP " + peakLive[0] + " MAX_HEAP " + Runtime.getRuntime().maxMemory());
    }

}
