package dev.kindling.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * A dependency where each child partition needs a small, known set of parent partitions, so the
 * parent is computed in the same task, pipelined through iterators. Narrow dependencies allow
 * pipelined execution.
 */
public abstract non-sealed class NarrowDependency implements Dependency {

    private static final long serialVersionUID = 1L;

    private final Lineage parent;

    /** Creates a narrow dependency on {@code parent}. */
    protected NarrowDependency(Lineage parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    @Override
    public final Lineage parent() {
        return parent;
    }

    /** The parent partitions that child partition {@code partition} reads. */
    public abstract List<Integer> parentPartitions(int partition);

    /** Child partition {@code i} reads parent partition {@code i}. */
    public static NarrowDependency oneToOne(Lineage parent) {
        return new NarrowDependency(parent) {
            @Override
            public List<Integer> parentPartitions(int partition) {
                return List.of(partition);
            }
        };
    }

    /** Child partitions {@code [outStart, outStart + length)} read parent partitions from {@code inStart}. */
    public static NarrowDependency range(Lineage parent, int inStart, int outStart, int length) {
        return new NarrowDependency(parent) {
            @Override
            public List<Integer> parentPartitions(int partition) {
                if (partition >= outStart && partition < outStart + length) {
                    return List.of(partition - outStart + inStart);
                }
                return List.of();
            }
        };
    }

    /** Child partition {@code i} reads the parent partitions in {@code mapping[i]}. */
    public static NarrowDependency explicit(Lineage parent, int[][] mapping) {
        return new NarrowDependency(parent) {
            @Override
            public List<Integer> parentPartitions(int partition) {
                return java.util.Arrays.stream(mapping[partition]).boxed().toList();
            }
        };
    }
}
