package dev.kindling.benchmarks;

import dev.kindling.internal.ContextInternals;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.RDDStorageInfo;
import dev.kindling.examples.ExampleCommand;
import dev.kindling.examples.LabeledPoint;
import dev.kindling.examples.PointBlock;
import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Measures the storage layer: (1) bytes the cache holds for 1M points of 10 doubles at each storage
 * level, next to the raw data size (1M x 10 x 8 B = 80 MB of doubles; 96 MB as double[10] objects), and
 * for the gradient-descent points as records and as {@link PointBlock}s;
 * (2) a reduceByKey over N records with a 256 MB budget, spilling: wall time and peak heap.
 *
 * <pre>
 * mvn -B -o -q package -DskipTests
 * mvn -B -o -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * CP="storage/target/classes:scheduler/target/classes:rdd-core/target/classes:benchmarks/target/classes"
 * CP="$CP:$(tr ':' '\n' &lt; /tmp/cp.txt | grep -v dev/kindling | paste -sd:)"
 * java -Xmx1g -cp "$CP" dev.kindling.benchmarks.StorageBenchmark [records]
 * </pre>
 * Default records: 50,000,000 (about 45 s on 2 cores). Add {@code shuffle} as a second argument to skip
 * the cache table. Results: {@code benchmarks/results/StorageBenchmark.txt}.
 */
public final class StorageBenchmark {

    private StorageBenchmark() {
    }

    /** Runs the benchmark: {@code [records] [shuffle]}; {@code --help} describes it. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line: the record count, and {@code shuffle} to measure only the spilling reduceByKey. */
    @Command(name = "StorageBenchmark", showDefaultValues = true,
            description = {"Cache sizes per storage level, and a spilling reduceByKey over N records with a",
                    "256 MB budget (wall time and peak heap)."})
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<records>", description = "Records of the reduceByKey.")
        long records = 50_000_000L;

        @Parameters(index = "1", arity = "0..1", paramLabel = "shuffle",
                description = "Give 'shuffle' to skip the cache table and measure only the reduceByKey.")
        String only;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (only != null && !only.equals("shuffle")) {
                throw ExampleCommand.usageError(spec, "the second argument can only be 'shuffle' (got '" + only + "')");
            }
            measure(records, only != null);
            return 0;
        }
    }

    /** Runs the measurements and prints a table on stdout; {@code shuffleOnly} skips the cache table. */
    static void measure(long records, boolean shuffleOnly) {
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (!shuffleOnly) {
            cacheSizes();
            gradientDescentPointSizes();
        }
        shuffleWithSpill(records);
    }

    private static void cacheSizes() {
        int points = 1_000_000;
        System.out.println();
        System.out.println("Cache size of 1M points x 10 doubles, in MiB (raw doubles 76.3 MiB; as double[10] objects 91.6 MiB,"
                + " plus 3.8 MiB of references to them)");
        System.out.printf(Locale.ROOT, "%-22s %14s %14s %10s%n", "level", "memory MiB", "disk MiB", "time s");
        for (StorageLevel level : StorageLevel.values()) {
            if (level == StorageLevel.NONE) {
                continue;
            }
            try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 600L << 20)
                    .config("kindling.ui.showConsoleProgress", "false").build()) {
                RDD<double[]> data = kc.range(0, points, 1, 8).map(i -> {
                    Random r = new Random(i);
                    double[] p = new double[10];
                    for (int k = 0; k < p.length; k++) {
                        p[k] = r.nextDouble();
                    }
                    return p;
                }).persist(level);
                long start = System.nanoTime();
                data.count();
                double secs = (System.nanoTime() - start) / 1e9;
                RDDStorageInfo info = kc.getRDDStorageInfo().get(0);
                System.out.printf(Locale.ROOT, "%-22s %14.1f %14.1f %10.2f%n", level, info.memoryBytes() / 1048576.0,
                        info.diskBytes() / 1048576.0, secs);
            }
        }
    }

    /**
     * The gradient-descent benchmark's 1M points (10 features + intercept + label = 88 MB of doubles)
     * cached as one {@link LabeledPoint} record per point and as {@link PointBlock}s.
     */
    private static void gradientDescentPointSizes() {
        int points = 1_000_000;
        System.out.println();
        System.out.println("Cache size of the gradient-descent points, 1M x (10 features + intercept + label), in MiB"
                + " (raw doubles 91.6 MiB)");
        System.out.printf(Locale.ROOT, "%-22s %-14s %14s %14s%n", "level", "layout", "memory MiB", "disk MiB");
        for (StorageLevel level : new StorageLevel[] {StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_ONLY_SER}) {
            for (boolean blocks : new boolean[] {false, true}) {
                try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 600L << 20)
                        .config("kindling.ui.showConsoleProgress", "false").build()) {
                    RDD<LabeledPoint> data = kc.range(0, points, 1, 2).map(i -> LabeledPoint.synthetic(1, i, 10, true));
                    RDD<?> cached = (blocks ? PointBlock.blockify(data) : data).persist(level);
                    cached.count();
                    RDDStorageInfo info = kc.getRDDStorageInfo().get(0);
                    System.out.printf(Locale.ROOT, "%-22s %-14s %14.1f %14.1f%n", level, blocks ? "PointBlock" : "LabeledPoint",
                            info.memoryBytes() / 1048576.0, info.diskBytes() / 1048576.0);
                }
            }
        }
    }

    private static void shuffleWithSpill(long records) {
        System.out.println();
        System.out.printf(Locale.ROOT, "reduceByKey over %,d records (1M distinct Long keys), budget 256 MB%n", records);
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 256L << 20)
                .config("kindling.ui.showConsoleProgress", "false").build()) {
            LiveHeapSampler sampler = new LiveHeapSampler();
            sampler.start();
            long start = System.nanoTime();
            long keys = kc.range(0, records, 1, 16).mapToPair(i -> Pair.of(i * 2654435761L % 1_000_000, 1L))
                    .reduceByKey(Long::sum, 16).count();
            double secs = (System.nanoTime() - start) / 1e9;
            long spills = ((SpillingShuffleStore) ContextInternals.of(kc).shuffleStore()).spillCount();
            sampler.interrupt();
            System.out.printf(Locale.ROOT, "%-10s %8s %12s %12s %22s %20s%n", "keys", "time s", "records/s", "spill files",
                    "peak live heap MB", "peak used heap MB");
            System.out.printf(Locale.ROOT, "%-10d %8.1f %,12.0f %12d %22.0f %20.0f%n", keys, secs, records / secs, spills,
                    sampler.peak / 1048576.0, peakHeap() / 1048576.0);
        }
    }

    /** Polls heap usage measured right after each GC (live data) and keeps the maximum. */
    private static final class LiveHeapSampler extends Thread {
        volatile long peak;

        LiveHeapSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long live = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                peak = Math.max(peak, live);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Sum of each heap pool's peak usage (includes garbage not yet collected). */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
