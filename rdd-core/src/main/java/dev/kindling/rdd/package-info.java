/**
 * The concrete lineage nodes behind the RDD API (map, shuffle, union, zip, ...) and their helpers.
 * Public so that the API package can create them and custom RDDs can reuse them, but not part of the
 * stable API: they may change without notice. Users work with {@link dev.kindling.RDD},
 * {@link dev.kindling.PairRDD} and {@link dev.kindling.DoubleRDD}.
 */
package dev.kindling.rdd;
