package dev.kindling.scheduler;

import java.io.Serializable;

/**
 * The three functions of a combining shuffle: start a combiner from a value, fold a value into a
 * combiner, and merge two combiners. Used map-side (before the shuffle) and reduce-side.
 *
 * @param <V> value type
 * @param <C> combiner type
 */
public interface Aggregator<V, C> extends Serializable {

    /** Starts a combiner from the first value of a key. */
    C createCombiner(V value) throws Exception;

    /** Folds another value of the same key into a combiner. */
    C mergeValue(C combiner, V value) throws Exception;

    /** Merges two combiners of the same key. */
    C mergeCombiners(C left, C right) throws Exception;
}
