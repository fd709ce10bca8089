package dev.kindling.benchmarks;

import dev.kindling.examples.ExampleCommand;
import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.block.CloseableIterator;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.shuffle.RecordCursor;
import dev.kindling.internal.shuffle.ShuffleWriter;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Measures the scratch-file path alone, on one thread, to price the per-frame CRC32C of shuffle
 * files and disk blocks: (1) shuffle write then read of N (Long, Long) records through a
 * {@link SpillingShuffleStore} whose 4 MB budget sends every map output to disk (4 map tasks, 16
 * reducers); (2) a DISK_ONLY block of N Longs written then read through the {@link BlockManager}.
 * Prints the median of 7 runs after 2 warm-ups, in M records/s and MB/s of file bytes, per second
 * of the thread's CPU time (user + system), which a shared, busy machine disturbs less than wall
 * time; and (3) CRC32C alone over 64 KiB buffers, the price ceiling of the checksum. Uses only the
 * storage module's public API, so the same source runs against an older build for comparison.
 *
 * <pre>
 * KINDLING_BENCH_JAVA_OPTS="-Xmx1g -XX:+UseSerialGC" benchmarks/run.sh ScratchFileBenchmark [records]
 * </pre>
 * For a before/after comparison, compile this one file against each build's {@code storage} classes
 * (plus {@code mvn dependency:build-classpath -pl storage}) and run both in turns.
 * Default records: 4,000,000. Results: {@code benchmarks/results/ScratchFileBenchmark.txt}.
 */
public final class ScratchFileBenchmark {

    private static final int MAPS = 4;
    private static final int REDUCERS = 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Keeps the CRC loop's result alive so the JIT cannot drop the loop. */
    static volatile long sink;

    private ScratchFileBenchmark() {
    }

    /** Runs the benchmark: {@code [records]}; {@code --help} describes it. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line: one optional argument, the record count. */
    @Command(name = "ScratchFileBenchmark", showDefaultValues = true,
            description = {"Prices the per-frame CRC32C of scratch files: shuffle write+read and a DISK_ONLY block",
                    "write+read of N records on one thread, per second of CPU time, and CRC32C alone."})
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<records>", description = "Records per measurement.")
        long records = 4_000_000L;

        @Override
        public Integer call() throws IOException {
            measure(records);
            return 0;
        }
    }

    /** Runs both measurements and prints one line each. */
    static void measure(long records) throws IOException {
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, %,d records, median of 7 runs%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), records);
        Path root = Files.createTempDirectory("scratch-bench");
        try {
            KryoSerializer serializer = KryoSerializer.create();
            double[][] shuffle = new double[9][];
            double[][] block = new double[9][];
            for (int run = 0; run < 9; run++) {
                shuffle[run] = shuffle(serializer, root.resolve("shuffle" + run), records);
                block[run] = block(serializer, root.resolve("blocks" + run), records);
            }
            print("shuffle", shuffle, records);
            print("DISK_ONLY block", block, records);
            System.out.printf(Locale.ROOT, "CRC32C alone over 64 KiB buffers: %.0f MB/s%n", crcMegabytesPerSecond());
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Returns {write seconds, read seconds, file bytes}. */
    private static double[] shuffle(KryoSerializer serializer, Path dir, long records) throws IOException {
        try (SpillingShuffleStore store = new SpillingShuffleStore(new MemoryManager(4L << 20), serializer, dir)) {
            SplittableRandom random = new SplittableRandom(42);
            long start = cpuNanos();
            for (int m = 0; m < MAPS; m++) {
                ShuffleWriter w = store.writer(0, m, MAPS, REDUCERS);
                for (long i = 0; i < records / MAPS; i++) {
                    long key = random.nextLong(1_000_000);
                    w.write((int) (key % REDUCERS), key, i);
                }
                w.commit();
            }
            long written = cpuNanos();
            long bytes = bytesIn(dir);
            long sum = 0;
            long read = 0;
            for (int r = 0; r < REDUCERS; r++) {
                RecordCursor c = store.reader(0, r, MAPS);
                while (c.advance()) {
                    sum += (Long) c.key();
                    read++;
                }
            }
            long end = cpuNanos();
            check(read == records / MAPS * MAPS && sum > 0, "read " + read + " records");
            return new double[] {(written - start) / 1e9, (end - written) / 1e9, bytes};
        }
    }

    private static double[] block(KryoSerializer serializer, Path dir, long records) throws IOException {
        try (BlockManager blocks = new BlockManager(new MemoryManager(64L << 20), serializer, dir)) {
            BlockId id = BlockId.rdd(0, 0);
            long start = cpuNanos();
            Iterator<Object> first = blocks.put(id, LongStream.range(0, records).boxed().iterator(),
                    StorageLevel.DISK_ONLY, () -> { });
            long written = cpuNanos();
            long bytes = bytesIn(dir);
            long n = 0;
            try (CloseableIterator<Object> it = blocks.get(id).orElseThrow()) {
                while (it.hasNext()) {
                    n += (Long) it.next() >= 0 ? 1 : 0;
                }
            }
            long end = cpuNanos();
            check(n == records && first != null, "read " + n + " records");
            return new double[] {(written - start) / 1e9, (end - written) / 1e9, bytes};
        }
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double crcMegabytesPerSecond() {
        byte[] buf = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(buf);
        CRC32C crc = new CRC32C();
        double best = 0;
        for (int run = 0; run < 5; run++) {
            long start = cpuNanos();
            long n = 0;
            for (int i = 0; i < 16_384; i++) {
                crc.reset();
                crc.update(buf, 0, buf.length);
                n += crc.getValue() & 1;
            }
            double secs = (cpuNanos() - start) / 1e9;
            best = Math.max(best, 16_384.0 * buf.length / 1e6 / secs);
            sink += n;
        }
        return best;
    }

    private static void print(String what, double[][] runs, long records) {
        double[][] measured = Arrays.copyOfRange(runs, 2, runs.length);
        double write = median(measured, 0);
        double read = median(measured, 1);
        double mb = measured[0][2] / 1e6;
        System.out.printf(Locale.ROOT, "%-16s file %6.1f MB   write %6.2f M rec/s %7.1f MB/s   read %6.2f M rec/s %7.1f MB/s%n",
                what, mb, records / write / 1e6, mb / write, records / read / 1e6, mb / read);
    }

    private static double median(double[][] runs, int column) {
        double[] v = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static long bytesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark read back the wrong data: " + what);
        }
    }
}
