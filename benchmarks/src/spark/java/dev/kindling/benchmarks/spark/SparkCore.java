package dev.kindling.benchmarks.spark;

import dev.kindling.benchmarks.CoreContender;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/** {@link dev.kindling.benchmarks.CoreBenchmark}'s jobs on Apache Spark in {@code local[threads]} mode. */
public final class SparkCore implements CoreContender {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final JavaSparkContext sc;
    private JavaRDD<Integer> tiny;

    /** Starts a local Spark context with {@code threads} executor threads. */
    public SparkCore(int threads) {
        sc = SparkSupport.context("core-benchmark", threads);
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void prepareTinyJob() {
        List<Integer> ints = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        tiny = sc.parallelize(ints, 2);
    }

    @Override
    public long runTinyJob() {
        return tiny.count();
    }

    @Override
    public Map<String, Long> wordCount(Path file) {
        return sc.textFile(file.toString())
                .flatMap(line -> Arrays.stream(WHITESPACE.split(line)).filter(w -> !w.isEmpty()).iterator())
                .mapToPair(w -> new Tuple2<>(w, 1L))
                .reduceByKey(Long::sum)
                .collectAsMap();
    }

    @Override
    public void close() {
        SparkSupport.release(sc);
    }
}
