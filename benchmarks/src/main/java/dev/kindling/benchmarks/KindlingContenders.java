package dev.kindling.benchmarks;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.examples.GradientDescent;
import dev.kindling.examples.LabeledPoint;
import dev.kindling.examples.LogisticRegression;
import dev.kindling.examples.PointBlock;
import dev.kindling.examples.WordCount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The Kindling side of the benchmarks: the examples' own code on a {@code local[threads]} context. */
final class KindlingContenders {

    private KindlingContenders() {
    }

    /** Tiny jobs and word count on Kindling. */
    static final class Core implements CoreContender {
        private final KindlingContext kc;
        private RDD<Integer> tiny;

        Core(int threads) {
            kc = Kindling.builder().master("local[" + threads + "]").appName("core-benchmark")
                    .config("kindling.ui.showConsoleProgress", "false").build();
        }

        @Override
        public String name() {
            return "kindling";
        }

        @Override
        public void prepareTinyJob() {
            List<Integer> ints = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
            tiny = kc.parallelize(ints, 2);
        }

        @Override
        public long runTinyJob() {
            return tiny.count();
        }

        @Override
        public Map<String, Long> wordCount(Path file) {
            return WordCount.count(kc, file.toString()).collectAsMap();
        }

        @Override
        public void close() {
            kc.close();
        }
    }

    /**
     * Logistic-regression gradient passes on Kindling, through the logreg example's code, with the
     * point blocks cached (as the example does) or, for comparison, recomputed from lineage every pass.
     */
    static final class LogReg implements LogRegContender {
        private final KindlingContext kc;
        private final int threads;
        private final boolean cached;
        private RDD<PointBlock> points;

        LogReg(int threads, boolean cached) {
            this.threads = threads;
            this.cached = cached;
            kc = Kindling.builder().master("local[" + threads + "]").appName("logreg-benchmark")
                    .config("kindling.ui.showConsoleProgress", "false").build();
        }

        @Override
        public String name() {
            return cached ? "kindling" : "kindling-uncached";
        }

        @Override
        public void load(long n, int dims, long seed) {
            points = PointBlock.blockify(kc.range(0, n, 1, threads).map(i -> LabeledPoint.synthetic(seed, i, dims, true)));
            if (cached) {
                points.cache();
            }
            points.count();
        }

        @Override
        public double[] gradientSums(double[] weights) {
            return GradientDescent.gradientSums(points, LogisticRegression.LOG_LOSS, weights);
        }

        @Override
        public void unload() {
            points.unpersist();
            points = null;
        }

        @Override
        public void close() {
            kc.close();
        }
    }
}
