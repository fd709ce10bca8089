package dev.kindling.examples;

import dev.kindling.RDD;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Many labelled points stored densely: their labels in one array and their features row after row in
 * another. Gradient descent caches blocks rather than one {@link LabeledPoint} per point (as Spark ML
 * does with its instance blocks since 3.1): the loop over a block reads two flat arrays front to back,
 * with no object per point to follow, and the cache holds the raw doubles plus a few bytes a block.
 *
 * @param labels   one label per point
 * @param features {@code labels.length * dims} numbers: point i's features are
 *                 {@code features[i * dims .. (i + 1) * dims)}
 * @param dims     features per point (the intercept's constant 1 included)
 */
public record PointBlock(double[] labels, double[] features, int dims) implements Serializable {

    /** The default most bytes of features in one block (1 MiB, as Spark ML's default block size). */
    public static final int DEFAULT_BLOCK_BYTES = 1 << 20;

    /** Checks that the arrays fit together. */
    public PointBlock {
        if (dims < 1 || (long) labels.length * dims != features.length) {
            throw new IllegalArgumentException("A block of " + labels.length + " points with " + dims
                    + " features each needs " + (long) labels.length * dims + " feature values, not " + features.length);
        }
    }

    /** The number of points in the block. */
    public int size() {
        return labels.length;
    }

    /** Point {@code i} as a record (a copy of its features). */
    public LabeledPoint point(int i) {
        return new LabeledPoint(labels[i], Arrays.copyOfRange(features, i * dims, (i + 1) * dims));
    }

    /**
     * Packs each partition of {@code points} into blocks of at most {@link #DEFAULT_BLOCK_BYTES} of
     * features, keeping the points' order. Cache the result, not the points.
     */
    public static RDD<PointBlock> blockify(RDD<LabeledPoint> points) {
        return blockify(points, DEFAULT_BLOCK_BYTES);
    }

    /**
     * Packs each partition of {@code points} into blocks of at most {@code maxBlockBytes} of features
     * (at least one point a block), keeping the points' order; an empty partition has no block.
     * Every point must have as many features as the first point of its partition.
     */
    public static RDD<PointBlock> blockify(RDD<LabeledPoint> points, int maxBlockBytes) {
        checkBlockBytes(maxBlockBytes);
        return points.mapPartitions(it -> pack(it, maxBlockBytes));
    }

    /**
     * Packs a stream of points into blocks of at most {@code maxBlockBytes} of features (at least one
     * point a block), lazily and in order: what {@link #blockify} does to each partition, usable
     * wherever points come as an iterator.
     */
    public static Iterator<PointBlock> pack(Iterator<LabeledPoint> it, int maxBlockBytes) {
        checkBlockBytes(maxBlockBytes);
        return new Iterator<PointBlock>() {
            private LabeledPoint pending = it.hasNext() ? it.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public PointBlock next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                int dims = pending.features().length;
                int capacity = Math.max(1, maxBlockBytes / (Double.BYTES * Math.max(1, dims)));
                double[] labels = new double[Math.min(capacity, 1024)];
                double[] features = new double[labels.length * dims];
                int n = 0;
                while (pending != null && n < capacity) {
                    if (pending.features().length != dims) {
                        throw new IllegalArgumentException("Every point of a block needs " + dims
                                + " features (like the block's first point), but this one has "
                                + pending.features().length + ": " + pending);
                    }
                    if (n == labels.length) {
                        labels = Arrays.copyOf(labels, Math.min(capacity, 2 * n));
                        features = Arrays.copyOf(features, labels.length * dims);
                    }
                    labels[n] = pending.label();
                    System.arraycopy(pending.features(), 0, features, n * dims, dims);
                    n++;
                    pending = it.hasNext() ? it.next() : null;
                }
                return new PointBlock(n == labels.length ? labels : Arrays.copyOf(labels, n),
                        n * dims == features.length ? features : Arrays.copyOf(features, n * dims), dims);
            }
        };
    }

    private static void checkBlockBytes(int maxBlockBytes) {
        if (maxBlockBytes < 1) {
            throw new IllegalArgumentException("maxBlockBytes must be >= 1 (got " + maxBlockBytes + ")");
        }
    }
}
