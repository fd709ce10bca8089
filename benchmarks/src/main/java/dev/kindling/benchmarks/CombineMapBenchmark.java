package dev.kindling.benchmarks;

import dev.kindling.Pair;
import dev.kindling.examples.ExampleCommand;
import dev.kindling.internal.shuffle.CombineMap;
import dev.kindling.scheduler.Aggregator;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prices the map-side combine of a plain word count on one thread, apart from the rest of the job:
 * the words of Zipf text ({@link ZipfText}, 100,000-word vocabulary) folded into a
 * {@link CombineMap} as {@code reduceByKey(Integer::sum)} over {@code Pair.of(word, 1)} does, against
 * the hand-written program's map ({@code groupingByConcurrent(identity(), counting())}: a
 * {@link ConcurrentHashMap} of {@code long[1]} counters), and against splitting alone (the cost
 * both share). The passes run interleaved in one JVM, round after round, and each is timed in the
 * thread's CPU time, so that load on a shared machine hits them alike; the report gives the minimum
 * and the median per pass after two warm-up rounds, and the nanoseconds per word.
 *
 * <pre>
 * benchmarks/run.sh CombineMapBenchmark [--mb 40] [--rounds 12]
 * </pre>
 */
public final class CombineMapBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Keeps the split-only pass's records alive so the JIT cannot drop them. */
    static volatile Object sink;

    private CombineMapBenchmark() {
    }

    /** Runs the benchmark; {@code --help} describes it. */
    public static void main(String[] args) throws Exception {
        ExampleCommand.main(new Cli(), args);
    }

    /** The command line. */
    @Command(name = "CombineMapBenchmark", showDefaultValues = true,
            description = {"Prices the map-side combine of a plain word count on one thread: CombineMap against",
                    "the hand-written ConcurrentHashMap counting, interleaved, in thread CPU time."})
    static final class Cli implements Callable<Integer> {
        @Mixin
        ExampleCommand.HelpOption help;

        @Option(names = "--mb", paramLabel = "<mb>", description = "Megabytes of Zipf text to fold per pass.")
        long mb = 40;

        @Option(names = "--rounds", paramLabel = "<n>", description = "Rounds of the three passes (the first two are warm-up).")
        int rounds = 12;

        @Override
        public Integer call() throws IOException {
            if (rounds < 3) {
                throw new IllegalArgumentException("--rounds must be at least 3 (two are warm-up); got " + rounds);
            }
            measure(lines(mb), rounds);
            return 0;
        }
    }

    /** The first {@code mb} megabytes of the benchmark's Zipf text (generated once in the temp directory), as lines. */
    static List<String> lines(long mb) throws IOException {
        Path file = ZipfText.generate(Path.of(System.getProperty("java.io.tmpdir"), "kindling-bench"), mb << 20, 100_000, 1);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Runs the passes in turns and prints the minimum and median CPU time of each. */
    static void measure(List<String> lines, int rounds) {
        Map<String, long[]> times = new LinkedHashMap<>();
        times.put("split alone", new long[rounds]);
        times.put("CombineMap", new long[rounds]);
        times.put("ConcurrentHashMap (hand-written)", new long[rounds]);
        long words = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = cpuNanos();
            words = splitAlone(lines);
            times.get("split alone")[round] = cpuNanos() - t0;
            t0 = cpuNanos();
            long[] combined = combineMap(lines);
            times.get("CombineMap")[round] = cpuNanos() - t0;
            t0 = cpuNanos();
            long[] counted = concurrentHashMap(lines);
            times.get("ConcurrentHashMap (hand-written)")[round] = cpuNanos() - t0;
            if (!Arrays.equals(combined, counted) || combined[1] != words) {
                throw new AssertionError("The maps disagree: CombineMap has {keys, words} " + Arrays.toString(combined)
                        + ", ConcurrentHashMap " + Arrays.toString(counted) + ", split " + words + " words");
            }
        }
        System.out.printf(Locale.ROOT, "JVM %s, %,d lines, %,d words; thread CPU per pass over %d rounds after 2 warm-up%n",
                System.getProperty("java.version"), lines.size(), words, rounds - 2);
        for (Map.Entry<String, long[]> e : times.entrySet()) {
            long[] measured = Arrays.copyOfRange(e.getValue(), 2, rounds);
            Arrays.sort(measured);
            long min = measured[0];
            long median = measured[measured.length / 2];
            System.out.printf(Locale.ROOT, "%-34s min %7.1f ms (%5.1f ns/word)   median %7.1f ms%n", e.getKey(),
                    min / 1e6, (double) min / words, median / 1e6);
        }
    }

    private static long splitAlone(List<String> lines) {
        long n = 0;
        Object last = null;
        for (String line : lines) {
            for (String word : line.split(" ")) {
                last = Pair.of(word, 1);
                n++;
            }
        }
        sink = last;
        return n;
    }

    /** Returns {distinct words, total count}. */
    private static long[] combineMap(List<String> lines) {
        CombineMap<Object, Object, Object> map = new CombineMap<>(new IntegerSum());
        try {
            for (String line : lines) {
                for (String word : line.split(" ")) {
                    Pair<Object, Object> record = Pair.of(word, 1);
                    map.foldValue(record.key(), record.value()); // as MapOutputWriter does
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Integer::sum cannot fail: " + e, e);
        }
        long[] total = {map.size(), 0};
        map.forEach((k, c) -> total[1] += (Integer) c);
        return total;
    }

    /** Returns {distinct words, total count}. */
    private static long[] concurrentHashMap(List<String> lines) {
        ConcurrentHashMap<String, long[]> map = new ConcurrentHashMap<>();
        for (String line : lines) {
            for (String word : line.split(" ")) {
                map.computeIfAbsent(word, w -> new long[1])[0]++;
            }
        }
        long[] total = {map.size(), 0};
        map.values().forEach(c -> total[1] += c[0]);
        return total;
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** {@code reduceByKey(Integer::sum)}'s aggregator: the value is the first combiner. */
    private static final class IntegerSum implements Aggregator<Object, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object createCombiner(Object value) {
            return value;
        }

        @Override
        public Object mergeValue(Object combiner, Object value) {
            return (Integer) combiner + (Integer) value;
        }

        @Override
        public Object mergeCombiners(Object left, Object right) {
            return (Integer) left + (Integer) right;
        }
    }
}
