package dev.kindling.scheduler;

/**
 * How a lineage node depends on one parent: narrow (pipelined) or shuffle (stage boundary).
 * Serializable: dependencies travel to executors with the lineage.
 */
public sealed interface Dependency extends java.io.Serializable permits NarrowDependency, ShuffleDependency {

    /** The parent node. */
    Lineage parent();
}
