/**
 * The scheduling types a user touches: partitioners, the running task's
 * {@link dev.kindling.scheduler.TaskContext} and its metrics, listener events, the exceptions a job
 * fails with, and the lineage contract ({@link dev.kindling.scheduler.Lineage},
 * {@link dev.kindling.scheduler.Dependency}, {@link dev.kindling.scheduler.Aggregator}) that every
 * RDD implements. The scheduler itself is internal ({@code dev.kindling.internal.scheduler}).
 */
package dev.kindling.scheduler;
