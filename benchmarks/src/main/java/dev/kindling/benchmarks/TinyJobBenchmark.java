package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.LongAccumulator;
import dev.kindling.RDD;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What per-task copies of functions ({@code kindling.closure.copyPerTask}) cost on tiny jobs, where
 * the fixed cost per job dominates: 1000 ints in 2 partitions on 2 executor threads.
 * <ul>
 *   <li>{@code count}: no user function; {@code mapFilterCount}: two stateless lambdas (shared
 *       under {@code true}, copied under {@code always});</li>
 *   <li>{@code foreachAccumulator}: a function capturing an accumulator, copied per task under
 *       {@code true} and {@code always}.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -o -q package -pl benchmarks -am -DskipTests && java -cp "benchmarks/target/classes:$(cat cp.txt)"
 * org.openjdk.jmh.Main TinyJobBenchmark} after writing the classpath with
 * {@code mvn -B -o -q dependency:build-classpath -pl benchmarks -Dmdep.outputFile=cp.txt}
 * (put the modules' {@code target/classes} first).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TinyJobBenchmark {

    @Param({"false", "true", "always"})
    public String copyPerTask;

    private KindlingContext kc;
    private RDD<Integer> ints;
    private RDD<Integer> mapped;
    private LongAccumulator acc;

    /** Creates the context and the RDDs the benchmark methods run jobs on. */
    @Setup
    public void setUp() {
        kc = Kindling.builder().master("local[2]").config(KindlingConf.SHOW_CONSOLE_PROGRESS, false)
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, copyPerTask).build();
        List<Integer> data = IntStream.range(0, 1000).boxed().toList();
        ints = kc.parallelize(data, 2);
        mapped = ints.map(x -> x + 1).filter(x -> x % 2 == 0);
        acc = kc.longAccumulator();
    }

    /** Closes the context. */
    @TearDown
    public void tearDown() {
        kc.close();
    }

    /** A count with no user function. */
    @Benchmark
    public long count() {
        return ints.count();
    }

    /** Two stateless lambdas and a count. */
    @Benchmark
    public long mapFilterCount() {
        return mapped.count();
    }

    /** A foreach whose function captures an accumulator (mutable: copied per task). */
    @Benchmark
    public long foreachAccumulator() {
        ints.foreach(acc::add);
        return acc.sum();
    }
}
