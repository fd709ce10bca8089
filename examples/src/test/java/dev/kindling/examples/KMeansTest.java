package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalContext.class)
class KMeansTest {

    /** Lloyd's algorithm over a plain list: the reference. Returns the cost before each step; updates centers. */
    static List<Double> lloyd(List<double[]> points, double[][] centers, int iterations) {
        List<Double> costs = new ArrayList<>();
        int k = centers.length;
        int d = centers[0].length;
        for (int it = 0; it < iterations; it++) {
            double[][] sums = new double[k][d];
            long[] counts = new long[k];
            double cost = 0;
            for (double[] x : points) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (dist(x, centers[c]) < dist(x, centers[best])) {
                        best = c;
                    }
                }
                cost += dist(x, centers[best]);
                counts[best]++;
                for (int j = 0; j < d; j++) {
                    sums[best][j] += x[j];
                }
            }
            costs.add(cost);
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centers[c][j] = sums[c][j] / counts[c];
                    }
                }
            }
        }
        return costs;
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }

    @Test
    void costNeverRisesAndEqualsLloydsStepsComputedDirectly(KindlingContext kc) {
        List<double[]> data = LongStream.range(0, 4000).mapToObj(i -> KMeans.synthetic(5, i, 3, 4))
                .collect(Collectors.toList());
        RDD<double[]> points = kc.parallelize(data, 3).cache();
        double[][] initial = KMeans.randomCenters(points, 4, 9);
        assertEquals(4, initial.length);
        double[][] reference = new double[4][];
        for (int c = 0; c < 4; c++) {
            reference[c] = initial[c].clone();
        }

        KMeans.Result result = KMeans.run(points, initial, 12, 0);
        List<Double> expected = lloyd(data, reference, 12);

        assertEquals(12, result.costHistory().size());
        for (int it = 0; it < 12; it++) {
            assertEquals(expected.get(it), result.costHistory().get(it), 1e-9 * expected.get(it), "cost at step " + it);
            if (it > 0) {
                assertTrue(result.costHistory().get(it) <= result.costHistory().get(it - 1) * (1 + 1e-12),
                        "cost rose at step " + it + ": " + result.costHistory());
            }
        }
        for (int c = 0; c < 4; c++) {
            LogisticRegressionTest.assertClose(reference[c], result.centers()[c], 1e-9);
        }
        double finalCost = 0;
        for (double[] x : data) {
            double best = Double.MAX_VALUE;
            for (double[] c : reference) {
                best = Math.min(best, dist(x, c));
            }
            finalCost += best;
        }
        assertEquals(finalCost, result.cost(), 1e-9 * finalCost);
        assertTrue(result.cost() <= result.costHistory().get(11) * (1 + 1e-12));
    }

    @Test
    void whenTheCentersStopMoving_thenTheRunStopsEarly(KindlingContext kc) {
        List<double[]> data = List.of(new double[] {0, 0}, new double[] {0, 1}, new double[] {10, 0}, new double[] {10, 1});
        RDD<double[]> points = kc.parallelize(data, 2);

        KMeans.Result result = KMeans.run(points, new double[][] {{0, 0}, {10, 0}}, 50, 1e-12);

        assertEquals(2, result.costHistory().size(), "one step moves the centers, the next finds them fixed");
        assertEquals(1.0, result.cost(), 1e-12);
        LogisticRegressionTest.assertClose(new double[] {0, 0.5}, result.centers()[0], 1e-15);
        LogisticRegressionTest.assertClose(new double[] {10, 0.5}, result.centers()[1], 1e-15);
    }
}
