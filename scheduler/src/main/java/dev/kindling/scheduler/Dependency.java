package dev.kindling.scheduler;

/** How a lineage node depends on one parent: narrow (pipelined) or shuffle (stage boundary). */
public sealed interface Dependency permits NarrowDependency, ShuffleDependency {

    /** The parent node. */
    Lineage parent();
}
