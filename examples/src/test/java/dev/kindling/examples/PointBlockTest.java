package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
class PointBlockTest {

    private static List<LabeledPoint> points(int n, int dims) {
        return LongStream.range(0, n).mapToObj(i -> LabeledPoint.synthetic(3, i, dims, true)).collect(Collectors.toList());
    }

    @Test
    void blocksHoldEveryPointInOrderWhateverTheBlockSize(KindlingContext kc) {
        List<LabeledPoint> data = points(103, 2);
        int pointBytes = 3 * Double.BYTES;
        for (int maxBytes : new int[] {1, pointBytes, 5 * pointBytes + 7, 1 << 20}) {
            List<PointBlock> blocks = PointBlock.blockify(kc.parallelize(data, 4), maxBytes).collect();
            List<LabeledPoint> unpacked = new ArrayList<>();
            for (PointBlock b : blocks) {
                assertTrue(b.size() >= 1 && b.size() <= Math.max(1, maxBytes / pointBytes), "block of " + b.size());
                for (int i = 0; i < b.size(); i++) {
                    unpacked.add(b.point(i));
                }
            }
            assertEquals(data, unpacked, "max bytes " + maxBytes);
        }
    }

    @Test
    void aBlockLaysOutFeaturesRowAfterRow(KindlingContext kc) {
        List<LabeledPoint> data = List.of(new LabeledPoint(1, new double[] {1, 2, 3}), new LabeledPoint(0, new double[] {1, 4, 5}));
        List<PointBlock> blocks = PointBlock.blockify(kc.parallelize(data, 1)).collect();
        assertEquals(1, blocks.size());
        assertArrayEquals(new double[] {1, 0}, blocks.get(0).labels());
        assertArrayEquals(new double[] {1, 2, 3, 1, 4, 5}, blocks.get(0).features());
        assertEquals(3, blocks.get(0).dims());
    }

    @Test
    void anEmptyPartitionHasNoBlock(KindlingContext kc) {
        RDD<PointBlock> blocks = PointBlock.blockify(kc.parallelize(points(2, 1), 5));
        assertEquals(2, blocks.count());
    }

    @Test
    void whenPointsDifferInDimension_thenTheErrorNamesThePoint(KindlingContext kc) {
        List<LabeledPoint> data = List.of(new LabeledPoint(1, new double[] {1, 2}), new LabeledPoint(0, new double[] {1, 4, 5}));
        Exception e = assertThrows(Exception.class, () -> PointBlock.blockify(kc.parallelize(data, 1)).collect());
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("needs 2 features") && cause.getMessage().contains("[1.0, 4.0, 5.0]"),
                cause.getMessage());
    }

    @Test
    void theBlockLossEqualsTheSumOfThePointLosses() {
        List<LabeledPoint> data = points(50, 4);
        double[] w = {0.3, -0.1, 0.2, 0.05, -0.4};
        for (PointLoss loss : List.of(LogisticRegression.LOG_LOSS, LinearRegression.SQUARED_ERROR)) {
            double[] expectedGradient = new double[w.length];
            double expectedLoss = 0;
            for (LabeledPoint p : data) {
                expectedLoss += loss.addGradient(w, p, expectedGradient);
            }
            double[] labels = data.stream().mapToDouble(LabeledPoint::label).toArray();
            double[] features = data.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.features())).toArray();
            double[] gradient = new double[w.length];
            double got = loss.addGradients(w, new PointBlock(labels, features, w.length), gradient);
            assertEquals(expectedLoss, got, 1e-12 * Math.abs(expectedLoss));
            assertArrayEquals(expectedGradient, gradient, 1e-12);
        }
    }
}
