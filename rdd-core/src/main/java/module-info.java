/**
 * Kindling's user API: {@code dev.kindling} (context, RDDs, broadcast, accumulators) and
 * {@code dev.kindling.function}, plus the scheduler's and storage's API packages, read transitively.
 * Internal packages are exported only to the shell, which runs Hadoop Streaming jobs on them.
 */
module dev.kindling.core {
    // RDD implements the scheduler's Lineage contract and its methods take partitioners and storage levels.
    requires transitive dev.kindling.scheduler;
    requires transitive dev.kindling.storage;
    requires it.unimi.dsi.fastutil.core;
    requires org.slf4j;
    // KindlingContext.setLogLevel sets java.util.logging's root level when that is SLF4J's backend.
    requires java.logging;
    // countApproxDistinct's HyperLogLog sketches; the jar has no module name of its own, so this is
    // the name Java derives from its file name.
    requires datasketches.java;
    // ... whose classes use this one; an automatic module's own dependencies are not resolved for it.
    requires org.apache.datasketches.memory;
    // The event log's JSON lines (tree model only: no reflective binding, so nothing is opened to it).
    requires com.fasterxml.jackson.databind;
    // Optional (present only when Hadoop's client jars are on the path): dev.kindling.internal.hadoop
    // reads and writes hdfs:// paths with it. The jar has no module name; this is the derived one.
    requires static hadoop.client.api;

    exports dev.kindling;
    exports dev.kindling.function;

    exports dev.kindling.internal.io to dev.kindling.shell;
    // The streaming runner's -input/-output on hdfs:// (a static requires: loaded only with Hadoop's jars).
    exports dev.kindling.internal.hadoop to dev.kindling.shell;
    exports dev.kindling.internal.rdd to dev.kindling.shell;
    exports dev.kindling.internal.util to dev.kindling.shell;
    exports dev.kindling.internal.eventlog to dev.kindling.shell;

    // Kryo writes records, cached blocks and spills reflectively: Pair, Triple, StatCounter, the
    // buffers of cogroup and the combiners of Kindling's aggregations live in these packages.
    opens dev.kindling to com.esotericsoftware.kryo;
    opens dev.kindling.internal.rdd to com.esotericsoftware.kryo;
    opens dev.kindling.internal.io to com.esotericsoftware.kryo;
}
