package dev.kindling.benchmarks;

import dev.kindling.examples.LabeledPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.regex.Pattern;

/**
 * The hand-written side of the benchmarks: what a careful Java programmer would write without an
 * engine, on a {@link ForkJoinPool} with as many threads as Kindling's executors. It is the limit
 * Kindling is measured against.
 */
final class HandWrittenContenders {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private HandWrittenContenders() {
    }

    /** Tiny jobs and word count by hand. */
    static final class Core implements CoreContender {
        private final ForkJoinPool pool;
        private final int threads;
        private int[][] halves;

        Core(int threads) {
            this.threads = threads;
            pool = new ForkJoinPool(threads);
        }

        @Override
        public String name() {
            return "hand-written";
        }

        @Override
        public void prepareTinyJob() {
            halves = HandWrittenTinyJob.halves();
        }

        @Override
        public long runTinyJob() {
            return HandWrittenTinyJob.count(pool, halves);
        }

        @Override
        public Map<String, Long> wordCount(Path file) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw BenchmarkRunner.io("Could not read the size of " + file, e);
            }
            List<ForkJoinTask<Map<String, Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long start = size * t / threads;
                long end = size * (t + 1) / threads;
                tasks.add(pool.submit(() -> countRange(file, start, end)));
            }
            Map<String, Long> total = tasks.get(0).join();
            for (int t = 1; t < tasks.size(); t++) {
                tasks.get(t).join().forEach((w, c) -> total.merge(w, c, Long::sum));
            }
            return total;
        }

        /** Counts the words of the lines that start in {@code [start, end)}. */
        private static Map<String, Long> countRange(Path file, long start, long end) throws IOException {
            Map<String, Long> counts = new HashMap<>();
            try (FileChannel ch = FileChannel.open(file)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                byte[] line = new byte[1024];
                int len = 0;
                long pos = start == 0 ? 0 : start - 1;
                boolean skipping = start != 0; // the line that started before us belongs to the previous range
                long lineStart = pos;
                ch.position(pos);
                while (ch.read(buf.clear()) > 0) {
                    buf.flip();
                    byte[] a = buf.array();
                    int limit = buf.limit();
                    for (int i = 0; i < limit; i++, pos++) {
                        byte b = a[i];
                        if (b == '\n') {
                            if (!skipping) {
                                countLine(new String(line, 0, len, StandardCharsets.UTF_8), counts);
                            }
                            skipping = false;
                            len = 0;
                            lineStart = pos + 1;
                            if (lineStart >= end) {
                                return counts;
                            }
                        } else if (!skipping) {
                            if (len == line.length) {
                                line = java.util.Arrays.copyOf(line, len * 2);
                            }
                            line[len++] = b;
                        }
                    }
                }
                if (len > 0 && !skipping && lineStart < end) {
                    countLine(new String(line, 0, len, StandardCharsets.UTF_8), counts);
                }
            }
            return counts;
        }

        private static void countLine(String line, Map<String, Long> counts) {
            for (String w : WHITESPACE.split(line)) {
                if (!w.isEmpty()) {
                    counts.merge(w, 1L, Long::sum);
                }
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /** Logistic-regression gradient passes over {@code double[][]} by hand. */
    static final class LogReg implements LogRegContender {
        private final ForkJoinPool pool;
        private final int threads;
        private double[][] x;
        private double[] y;

        LogReg(int threads) {
            this.threads = threads;
            pool = new ForkJoinPool(threads);
        }

        @Override
        public String name() {
            return "hand-written";
        }

        @Override
        public void load(long n, int dims, long seed) {
            double[][] xs = new double[(int) n][];
            double[] ys = new double[(int) n];
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) (n * t / threads);
                int to = (int) (n * (t + 1) / threads);
                tasks.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        LabeledPoint p = LabeledPoint.synthetic(seed, i, dims, true);
                        xs[i] = p.features();
                        ys[i] = p.label();
                    }
                }));
            }
            tasks.forEach(ForkJoinTask::join);
            x = xs;
            y = ys;
        }

        @Override
        public double[] gradientSums(double[] w) {
            int n = x.length;
            int d = w.length;
            List<ForkJoinTask<double[]>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                tasks.add(pool.submit(() -> {
                    double[] acc = new double[d + 2];
                    for (int i = from; i < to; i++) {
                        double[] xi = x[i];
                        double m = 0;
                        for (int j = 0; j < d; j++) {
                            m += w[j] * xi[j];
                        }
                        double factor = 1.0 / (1.0 + Math.exp(-m)) - y[i];
                        for (int j = 0; j < d; j++) {
                            acc[j] += factor * xi[j];
                        }
                        acc[d] += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i] * m;
                        acc[d + 1] += 1;
                    }
                    return acc;
                }));
            }
            double[] sums = new double[d + 2];
            for (ForkJoinTask<double[]> t : tasks) {
                double[] part = t.join();
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += part[j];
                }
            }
            return sums;
        }

        @Override
        public void unload() {
            x = null;
            y = null;
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
