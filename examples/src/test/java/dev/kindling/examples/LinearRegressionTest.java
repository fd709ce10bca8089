package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalContext.class)
class LinearRegressionTest {

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    @Test
    void gradientDescentConvergesToTheNormalEquationsSolution(KindlingContext kc) {
        int dims = 4;
        List<LabeledPoint> data = LongStream.range(0, 2000).mapToObj(i -> LabeledPoint.synthetic(11, i, dims, false))
                .collect(Collectors.toList());
        RDD<PointBlock> points = PointBlock.blockify(kc.parallelize(data, 4)).cache();

        GradientDescent.Model model = LinearRegression.train(points, 150, 0.5, null);

        int d = dims + 1;
        double[][] xtx = new double[d][d];
        double[] xty = new double[d];
        for (LabeledPoint p : data) {
            for (int i = 0; i < d; i++) {
                xty[i] += p.features()[i] * p.label();
                for (int j = 0; j < d; j++) {
                    xtx[i][j] += p.features()[i] * p.features()[j];
                }
            }
        }
        double[] exact = solve(xtx, xty);
        LogisticRegressionTest.assertClose(exact, model.weights(), 1e-9);

        double mse = 0;
        for (LabeledPoint p : data) {
            double r = PointLoss.margin(exact, p) - p.label();
            mse += 0.5 * r * r;
        }
        assertEquals(mse / data.size(), model.loss(), 1e-9);
        for (int i = 1; i < model.lossHistory().size(); i++) {
            assertTrue(model.lossHistory().get(i) <= model.lossHistory().get(i - 1) + 1e-15, "loss rose at " + i);
        }
    }
}
