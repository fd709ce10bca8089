package dev.kindling.scheduler;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What the scheduler needs to know about one node of a lineage graph. The typed RDD API implements
 * it; the scheduler never sees element types.
 *
 * <ol>
 *   <li>{@link #id()}: unique within a context.</li>
 *   <li>{@link #numPartitions()}: fixed for the node's lifetime.</li>
 *   <li>{@link #dependencies()}: narrow (pipelined in one task) or shuffle (a stage boundary).</li>
 *   <li>{@link #partitioner()}: how the node's keys are laid out, when known.</li>
 *   <li>{@link #iterator(int, TaskContext)}: computes (or reads from cache) one partition, lazily.</li>
 *   <li>{@link #preferredLocations(int)}: the hosts where a partition's input lives (an HDFS block's
 *       data nodes), when known; none by default.</li>
 * </ol>
 */
public interface Lineage {

    /** Identifier, unique within the context that created the node. */
    int id();

    /** Number of partitions; may call user code the first time, so it may throw. */
    int numPartitions();

    /** Parents of this node and how each partition depends on them. */
    List<Dependency> dependencies();

    /** The partitioner of a key/value node whose layout is known, else empty. */
    Optional<Partitioner> partitioner();

    /** Returns the elements of one partition, computing them lazily on the calling task thread. */
    Iterator<?> iterator(int partition, TaskContext context) throws Exception;

    /**
     * The host names where {@code partition} is cheapest to compute (those holding its input data,
     * best first), or an empty list when any host will do. A hint: a scheduler with executors on
     * several hosts places the partition's task on one of them when it can.
     */
    default List<String> preferredLocations(int partition) {
        return List.of();
    }

    /** The name a user gave the node, or null (shown in status pages and events). */
    default String name() {
        return null;
    }

    /** How the node's partitions are persisted, {@link dev.kindling.storage.StorageLevel#NONE} when they are not. */
    default dev.kindling.storage.StorageLevel getStorageLevel() {
        return dev.kindling.storage.StorageLevel.NONE;
    }

    /** Short human-readable description, e.g. {@code "MapPartitionsRDD[3] at map at App.java:12"}. */
    String describe();
}
