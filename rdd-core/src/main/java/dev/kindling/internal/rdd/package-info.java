/**
 * The concrete lineage nodes behind the RDD API (map, shuffle, union, zip, ...) and their helpers.
 * Users work with {@link dev.kindling.RDD}, {@link dev.kindling.PairRDD} and
 * {@link dev.kindling.DoubleRDD}.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice.
 *
 * <p>Package cycle kept on purpose: {@code dev.kindling.RDD} creates these nodes (its
 * transformations return them) and they extend {@code RDD}, so this package and {@code dev.kindling}
 * depend on each other, as Spark's {@code RDD} and its subclasses do. Breaking it would need a
 * factory interface between the two for every transformation, more indirection than it saves.
 */
package dev.kindling.internal.rdd;
