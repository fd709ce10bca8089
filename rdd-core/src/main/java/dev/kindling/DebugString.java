package dev.kindling;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.ShuffleDependency;

/**
 * Renders a lineage like Spark's {@code toDebugString}: {@code (n)} gives a stage's partition count,
 * {@code |} continues a stage (narrow dependencies), {@code +-} opens the stage behind a shuffle.
 * <pre>
 * (2) ShuffledRDD[4] at reduceByKey at App.java:10
 *  +-(3) MapPartitionsRDD[3] at mapToPair at App.java:9
 *     |  ParallelCollectionRDD[1] at parallelize at App.java:7
 * </pre>
 */
final class DebugString {

    private DebugString() {
    }

    static String of(Lineage rdd) {
        StringBuilder out = new StringBuilder();
        out.append('(').append(rdd.numPartitions()).append(") ").append(describe(rdd)).append('\n');
        children(rdd, "", out);
        return out.toString().stripTrailing();
    }

    private static void children(Lineage rdd, String stagePrefix, StringBuilder out) {
        for (Dependency dep : rdd.dependencies()) {
            Lineage parent = dep.parent();
            if (dep instanceof ShuffleDependency) {
                out.append(stagePrefix).append(" +-(").append(parent.numPartitions()).append(") ")
                        .append(describe(parent)).append('\n');
                children(parent, stagePrefix + "   ", out);
            } else {
                out.append(stagePrefix).append(" |  ").append(describe(parent)).append('\n');
                children(parent, stagePrefix, out);
            }
        }
    }

    private static String describe(Lineage rdd) {
        String storage = rdd instanceof RDD<?> r ? r.storageDescription() : "";
        return rdd.describe() + (storage.isEmpty() ? "" : " [" + storage + "]");
    }
}
