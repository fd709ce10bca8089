/**
 * Kindling's scheduler. The API package {@code dev.kindling.scheduler} holds what a user touches
 * (partitioners, the task context and metrics, listener events, job exceptions, the lineage contract
 * RDDs implement); the DAG scheduler, backends and task runner are internal and exported only to
 * rdd-core.
 */
module dev.kindling.scheduler {
    requires transitive dev.kindling.storage;
    requires java.management;
    requires org.slf4j;

    exports dev.kindling.scheduler;

    exports dev.kindling.internal.scheduler to dev.kindling.core;
}
