package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The program {@link LowHeapOperatorSuiteTest} runs in a separate small-heap JVM (-Xmx192m, the
 * default memory budget of 0.6 of the heap): each shuffle operator and a {@code MEMORY_AND_DISK}
 * cache over about four times the memory budget, each checked against a {@code java.util.stream}
 * loop or a closed form computed here. Records carry a payload of {@link #PAYLOAD} bytes that
 * encodes their number, so that four budgets of data are few records and the suite stays fast.
 * Prints one {@code OK <operation>} line per check (or {@code MISMATCH}/{@code FAILED}), then
 * {@code OOM_TASKS n} (task attempts whose failure has an OutOfMemoryError in its cause chain,
 * counted by a listener) and {@code FAILED_TASKS n}; exits 0 only when every check passed.
 *
 * <p>System properties: {@code suite.budgets} (data size in memory budgets, default 4),
 * {@code suite.payload} (payload bytes per record), {@code suite.only} (run one operation).
 */
public final class LowHeapOperatorSuite {

    static final int PAYLOAD = Integer.getInteger("suite.payload", 1000);
    /** Estimated bytes of one (String key, payload) record: pair, key string, payload array. */
    static final long RECORD_BYTES = 24 + 48 + 16 + PAYLOAD;
    static final int KEYS = 20_000;
    static long n;
    static final int MAPS = 8;
    static final int REDUCERS = 6;

    private static int failures;

    private LowHeapOperatorSuite() {
    }

    /** A payload whose first 8 bytes hold {@code i}; the rest is filler. */
    static byte[] payload(long i) {
        byte[] b = new byte[PAYLOAD];
        java.util.Arrays.fill(b, (byte) i);
        for (int j = 0; j < 8; j++) {
            b[j] = (byte) (i >>> (8 * j));
        }
        return b;
    }

    /** The number a {@link #payload} encodes. */
    static long decode(byte[] b) {
        long i = 0;
        for (int j = 0; j < 8; j++) {
            i |= (b[j] & 0xFFL) << (8 * j);
        }
        return i;
    }

    static String key(long i) {
        return "k" + (i % KEYS);
    }

    /** A scrambled, collision-free long key for sorting: a bijection of i. */
    static long sortKey(long i) {
        return i * 0x9E3779B97F4A7C15L;
    }

    private static void check(String op, Object expected, Object actual) {
        if (Objects.equals(expected, actual)) {
            System.out.println("OK " + op);
        } else {
            failures++;
            System.out.println("MISMATCH " + op + ": expected " + abbreviate(expected) + " got " + abbreviate(actual));
        }
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void run(String op, Runnable check) {
        String only = System.getProperty("suite.only");
        if (only != null && !only.equals(op)) {
            return;
        }
        long start = System.nanoTime();
        try {
            check.run();
        } catch (Throwable e) {
            failures++;
            System.out.println("FAILED " + op + ": " + e);
            e.printStackTrace(System.out);
        }
        System.out.println("TIME " + op + " " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** Per key of {@link #key}: {count, sum of i}, from a plain loop. */
    private static Map<String, List<Long>> referenceCountSum() {
        long[] count = new long[KEYS];
        long[] sum = new long[KEYS];
        LongStream.range(0, n).forEach(i -> {
            count[(int) (i % KEYS)]++;
            sum[(int) (i % KEYS)] += i;
        });
        Map<String, List<Long>> ref = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            if (count[k] > 0) {
                ref.put("k" + k, List.of(count[k], sum[k]));
            }
        }
        return ref;
    }

    /** Sums the columns of per-partition rows. */
    private static List<Long> columnSums(List<long[]> rows, int columns) {
        long[] total = new long[columns];
        for (long[] r : rows) {
            for (int j = 0; j < columns; j++) {
                total[j] += r[j];
            }
        }
        return LongStream.of(total).boxed().toList();
    }

    public static void main(String[] args) {
        AtomicLong oomTasks = new AtomicLong();
        AtomicLong failedTasks = new AtomicLong();
        double budgets = Double.parseDouble(System.getProperty("suite.budgets", "4"));
        // The application's own live data: what the heap holds besides Kindling's budget.
        byte[][] ballast = new byte[Integer.getInteger("suite.ballastMiB", 0)][];
        for (int j = 0; j < ballast.length; j++) {
            ballast[j] = new byte[1 << 20];
        }
        Kindling.Builder builder = Kindling.builder().master("local[2]");
        if (System.getProperty("suite.budget") != null) {
            builder.config("kindling.memory.bytes", System.getProperty("suite.budget"));
        }
        try (KindlingContext kc = builder.build()) {
            kc.addListener(new SchedulerListener() {
                @Override
                public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                    if (event.failure() != null) {
                        failedTasks.incrementAndGet();
                        for (Throwable c = event.failure(); c != null; c = c.getCause() == c ? null : c.getCause()) {
                            if (c instanceof OutOfMemoryError) {
                                oomTasks.incrementAndGet();
                                System.out.println("OOM in stage " + event.stageId() + ": " + c);
                                break;
                            }
                        }
                    }
                }
            });
            n = (long) (budgets * ContextInternals.of(kc).memoryManager().maxBytes() / RECORD_BYTES);
            long total = n * (n - 1) / 2;
            System.out.println("BUDGET " + ContextInternals.of(kc).memoryManager().maxBytes() + " MAX_HEAP " + Runtime.getRuntime().maxMemory());
            System.out.println("RECORDS " + n);
            PairRDD<String, byte[]> data = kc.range(0, n, 1, MAPS).mapToPair(i -> Pair.of(key(i), payload(i)));
            Map<String, List<Long>> ref = referenceCountSum();

            run("sortByKey", () -> {
                List<long[]> parts = kc.range(0, n, 1, MAPS).mapToPair(i -> Pair.of(sortKey(i), payload(i)))
                        .sortByKey(true, REDUCERS).rdd().mapPartitions(it -> {
                            long count = 0;
                            long keySum = 0;
                            long valueSum = 0;
                            long first = 0;
                            long last = 0;
                            long unordered = 0;
                            while (it.hasNext()) {
                                Pair<Long, byte[]> p = it.next();
                                if (count == 0) {
                                    first = p.key();
                                } else if (p.key() < last) {
                                    unordered++;
                                }
                                last = p.key();
                                count++;
                                keySum += p.key();
                                valueSum += decode(p.value());
                            }
                            return List.of(new long[] {count, keySum, valueSum, unordered, first, last}).iterator();
                        }).collect();
                long unordered = 0;
                Long previousLast = null;
                for (long[] p : parts) {
                    if (p[0] > 0) {
                        if (previousLast != null && p[4] < previousLast) {
                            unordered++;
                        }
                        previousLast = p[5];
                    }
                }
                List<Long> sums = new ArrayList<>(columnSums(parts, 4));
                sums.add(unordered);
                long refKeySum = LongStream.range(0, n).map(LowHeapOperatorSuite::sortKey).sum();
                check("sortByKey", List.of(n, refKeySum, total, 0L, 0L), sums);
            });

            run("reduceByKey", () -> {
                Map<String, Long> latest = new HashMap<>();
                data.reduceByKey((a, b) -> decode(a) >= decode(b) ? a : b, REDUCERS).collect()
                        .forEach(p -> latest.put(p.key(), decode(p.value())));
                Map<String, Long> expected = new HashMap<>();
                LongStream.range(0, n).forEach(i -> expected.merge(key(i), i, Math::max));
                check("reduceByKey", expected, latest);
            });

            run("groupByKey", () -> {
                Map<String, List<Long>> grouped = new HashMap<>();
                data.groupByKey(REDUCERS).mapValues(vs -> {
                    long count = 0;
                    long sum = 0;
                    for (byte[] v : vs) {
                        count++;
                        sum += decode(v);
                    }
                    return List.of(count, sum);
                }).collect().forEach(p -> grouped.put(p.key(), p.value()));
                check("groupByKey", ref, grouped);
            });

            run("join", () -> {
                PairRDD<String, Long> small = kc.range(0, KEYS / 2, 1, 2).mapToPair(k -> Pair.of("k" + k, k * 3));
                List<long[]> parts = data.join(small, REDUCERS).rdd().mapPartitions(it -> {
                    long count = 0;
                    long left = 0;
                    long right = 0;
                    while (it.hasNext()) {
                        Pair<String, Pair<byte[], Long>> p = it.next();
                        count++;
                        left += decode(p.value().key());
                        right += p.value().value();
                    }
                    return List.of(new long[] {count, left, right}).iterator();
                }).collect();
                long[] expected = new long[3];
                LongStream.range(0, n).filter(i -> i % KEYS < KEYS / 2).forEach(i -> {
                    expected[0]++;
                    expected[1] += i;
                    expected[2] += (i % KEYS) * 3;
                });
                check("join", LongStream.of(expected).boxed().toList(), columnSums(parts, 3));
            });

            run("distinct", () -> {
                long distinctValues = n / 3;
                String pad = "d".repeat(PAYLOAD);
                List<long[]> parts = kc.range(0, n, 1, MAPS).map(i -> (i % distinctValues) + pad).distinct(REDUCERS)
                        .mapPartitions(it -> {
                            long sum = 0;
                            long count = 0;
                            while (it.hasNext()) {
                                String s = it.next();
                                sum += Long.parseLong(s.substring(0, s.length() - PAYLOAD));
                                count++;
                            }
                            return List.of(new long[] {count, sum}).iterator();
                        }).collect();
                check("distinct", List.of(distinctValues, distinctValues * (distinctValues - 1) / 2), columnSums(parts, 2));
            });

            run("aggregateByKey", () -> {
                Map<String, List<Long>> aggregated = new HashMap<>();
                data.aggregateByKey(new long[2], REDUCERS, (acc, v) -> {
                    acc[0]++;
                    acc[1] += decode(v);
                    return acc;
                }, (a, b) -> {
                    a[0] += b[0];
                    a[1] += b[1];
                    return a;
                }).collect().forEach(p -> aggregated.put(p.key(), List.of(p.value()[0], p.value()[1])));
                check("aggregateByKey", ref, aggregated);
            });

            run("repartition", () -> {
                List<long[]> parts = data.rdd().repartition(REDUCERS + 1).mapPartitions(it -> {
                    long count = 0;
                    long sum = 0;
                    while (it.hasNext()) {
                        sum += decode(it.next().value());
                        count++;
                    }
                    return List.of(new long[] {count, sum}).iterator();
                }).collect();
                check("repartition", List.of(n, total), columnSums(parts, 2));
            });

            run("cache MEMORY_AND_DISK", () -> {
                RDD<Pair<String, byte[]>> cached = data.rdd().persist(StorageLevel.MEMORY_AND_DISK);
                List<Long> sums = new ArrayList<>();
                for (int pass = 0; pass < 2; pass++) {
                    sums.add(cached.map(p -> decode(p.value())).reduce(Long::sum));
                    sums.add(cached.count());
                }
                check("cache MEMORY_AND_DISK", List.of(total, n, total, n), sums);
                cached.unpersist();
            });
        }
        System.out.println("BALLAST_MIB " + ballast.length);
        System.out.println("OOM_TASKS " + oomTasks.get());
        System.out.println("FAILED_TASKS " + failedTasks.get());
        System.out.println("CHECKS_FAILED " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
