package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalContext.class)
class LogisticRegressionTest {

    /** The same gradient-descent iteration written directly over arrays: the reference. */
    static final class Reference {
        final List<Double> losses = new ArrayList<>();
        double[] weights;

        Reference(double[][] x, double[] y, int iterations, double step) {
            int n = x.length;
            int d = x[0].length;
            double[] w = new double[d];
            for (int it = 0; it < iterations; it++) {
                double[] grad = new double[d];
                double loss = 0;
                for (int i = 0; i < n; i++) {
                    double m = 0;
                    for (int j = 0; j < d; j++) {
                        m += w[j] * x[i][j];
                    }
                    double p = 1.0 / (1.0 + Math.exp(-m));
                    for (int j = 0; j < d; j++) {
                        grad[j] += (p - y[i]) * x[i][j];
                    }
                    loss += Math.log(1 + Math.exp(m)) - y[i] * m;
                }
                losses.add(loss / n);
                for (int j = 0; j < d; j++) {
                    w[j] -= step * grad[j] / n;
                }
            }
            weights = w;
        }
    }

    static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], relative * Math.max(scale, 1e-300), "weight " + j);
        }
    }

    @Test
    void weightsAndLossesMatchTheSameIterationWrittenOverArrays(KindlingContext kc) {
        int n = 3000;
        int dims = 4;
        List<LabeledPoint> data = LongStream.range(0, n).mapToObj(i -> LabeledPoint.synthetic(7, i, dims, true))
                .collect(Collectors.toList());
        // 37 points a block: blocks end inside partitions, and each partition ends with a short block.
        RDD<PointBlock> points = PointBlock.blockify(kc.parallelize(data, 3), 37 * (dims + 1) * Double.BYTES).cache();

        GradientDescent.Model model = LogisticRegression.train(points, 30, 1.0, null);

        double[][] x = data.stream().map(LabeledPoint::features).toArray(double[][]::new);
        double[] y = data.stream().mapToDouble(LabeledPoint::label).toArray();
        Reference ref = new Reference(x, y, 30, 1.0);
        assertClose(ref.weights, model.weights(), 1e-9);
        for (int it = 0; it < 30; it++) {
            assertEquals(ref.losses.get(it), model.lossHistory().get(it), 1e-9 * ref.losses.get(it));
        }
        long correct = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int j = 0; j < x[i].length; j++) {
                m += ref.weights[j] * x[i][j];
            }
            correct += (m > 0) == (y[i] == 1.0) ? 1 : 0;
        }
        assertEquals((double) correct / n, model.accuracy(), 1e-12);
        assertTrue(model.accuracy() > 0.6, "a model trained on its own distribution beats chance: " + model.accuracy());
    }

    @Test
    void whenPointsComeFromATextFile_thenCommasAndWhitespaceBothSeparateFields(KindlingContext kc, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("points.txt");
        Files.writeString(file, "1,0.5,2\n0 -1.5  3\n\n1\t2.0,-0.25\n");
        List<LabeledPoint> points = RegressionCommand.loadFile(kc, file.toString(), "logreg", true).collect();

        assertEquals(List.of(new LabeledPoint(1, new double[] {1, 0.5, 2}), new LabeledPoint(0, new double[] {1, -1.5, 3}),
                new LabeledPoint(1, new double[] {1, 2.0, -0.25})), points);
    }

    @Test
    void whenALabelIsNotZeroOrOne_thenTheErrorNamesIt(KindlingContext kc, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("points.txt");
        Files.writeString(file, "1 0.5\n2 0.25\n");
        RDD<LabeledPoint> points = RegressionCommand.loadFile(kc, file.toString(), "logreg", true);

        Exception e = assertThrows(Exception.class, points::collect);

        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("labels must be 0 or 1, got 2.0"), cause.getMessage());
    }
}
