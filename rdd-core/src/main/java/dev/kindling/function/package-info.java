/**
 * Serializable functional interfaces taken by Kindling's RDD operations, named as in Spark's Java
 * API. Each method may throw checked exceptions; a task that throws fails (and is retried), and the
 * job's failure keeps the original exception as its cause.
 */
package dev.kindling.function;
