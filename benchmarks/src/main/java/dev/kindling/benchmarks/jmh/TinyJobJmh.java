package dev.kindling.benchmarks.jmh;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH version of the tiny-job latency benchmark: {@code count()} of 1,000 integers in 2
 * partitions on a 2-thread context, against two ForkJoinPool tasks counting the halves.
 *
 * <pre>
 * benchmarks/run.sh jmh TinyJobJmh
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TinyJobJmh {

    private KindlingContext kc;
    private RDD<Integer> ints;
    private ForkJoinPool pool;
    private int[][] halves;

    /** Starts the context and the pool once per fork. */
    @Setup(Level.Trial)
    public void setUp() {
        kc = Kindling.builder().master("local[2]").config("kindling.ui.showConsoleProgress", "false").build();
        List<Integer> list = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        ints = kc.parallelize(list, 2);
        pool = new ForkJoinPool(2);
        halves = new int[][] {IntStream.range(0, 500).toArray(), IntStream.range(500, 1000).toArray()};
    }

    /** Closes what {@link #setUp} started. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kc.close();
        pool.shutdownNow();
    }

    /** Kindling: one job of two tasks. */
    @Benchmark
    public long kindlingCount() {
        return ints.count();
    }

    /** Hand-written: two ForkJoinPool tasks, joined. */
    @Benchmark
    public long handWrittenCount() {
        ForkJoinTask<Long> a = pool.submit(() -> (long) halves[0].length);
        ForkJoinTask<Long> b = pool.submit(() -> (long) halves[1].length);
        return a.join() + b.join();
    }
}
