/**
 * Kindling's scheduler. The API package {@code dev.kindling.scheduler} holds what a user touches
 * (partitioners, the task context and metrics, listener events, job exceptions, the lineage contract
 * RDDs implement); the DAG scheduler, backends, task runner and the shuffle are internal and exported
 * only to rdd-core.
 */
module dev.kindling.scheduler {
    requires transitive dev.kindling.storage;
    requires it.unimi.dsi.fastutil.core;
    // Executors cache broadcast values (BroadcastCache).
    requires com.github.benmanes.caffeine;
    requires java.management;
    requires org.slf4j;
    // Optional (present only with Hadoop's client jars): dev.kindling.internal.yarn submits to YARN with it.
    // The jar has no module name; this is the derived one.
    requires static hadoop.client.api;

    exports dev.kindling.scheduler;

    exports dev.kindling.internal.scheduler to dev.kindling.core;
    // The shuffle (writer, reader, tracker, aggregation and sorting with spills): rdd-core's shuffled
    // RDDs read through it.
    exports dev.kindling.internal.shuffle to dev.kindling.core;
    // Executor processes of local-cluster[E,C,M]: the context starts them through LocalCluster.
    exports dev.kindling.internal.cluster to dev.kindling.core;
    // --master yarn: the context starts executors through YarnLauncher (loaded only on that master).
    exports dev.kindling.internal.yarn to dev.kindling.core, dev.kindling.shell;
    exports dev.kindling.internal.executor to dev.kindling.core;
    exports dev.kindling.internal.scheduler.backend to dev.kindling.core;
}
