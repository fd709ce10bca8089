package dev.kindling;

import java.io.Serializable;

/**
 * A key/value pair: the element type of a {@link PairRDD}. Kindling's counterpart of Spark's
 * {@code Tuple2}; either side may be null.
 *
 * @param key   the key (Spark's {@code _1})
 * @param value the value (Spark's {@code _2})
 */
public record Pair<K, V>(K key, V value) implements Serializable {

    /** Creates a pair; shorter than {@code new Pair<>(k, v)}. */
    public static <K, V> Pair<K, V> of(K key, V value) {
        return new Pair<>(key, value);
    }

    /** Spark-style accessor for the key. */
    public K _1() {
        return key;
    }

    /** Spark-style accessor for the value. */
    public V _2() {
        return value;
    }

    /** Returns the pair with key and value exchanged. */
    public Pair<V, K> swap() {
        return new Pair<>(value, key);
    }

    @Override
    public String toString() {
        return "(" + key + "," + value + ")";
    }
}
