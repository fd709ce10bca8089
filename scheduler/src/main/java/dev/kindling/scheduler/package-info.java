/**
 * The scheduling types a user touches: partitioners, the running task's
 * {@link dev.kindling.scheduler.TaskContext} and its metrics, listener events, the exceptions a job
 * fails with, and the lineage contract ({@link dev.kindling.scheduler.Lineage},
 * {@link dev.kindling.scheduler.Dependency}, {@link dev.kindling.scheduler.Aggregator}) that every
 * RDD implements. The scheduler itself is internal ({@code dev.kindling.internal.scheduler}).
 *
 * <p>This package and {@code dev.kindling.internal.scheduler} depend on each other: the scheduler
 * implements the contract defined here, and {@code TaskContext} and {@code ShuffleDependency} hold
 * the per-task function copies ({@code TaskClosure}) that the executor side manages. The executor's
 * access to {@code TaskContext} goes through {@code TaskContextAccess}, not public methods.
 */
package dev.kindling.scheduler;
