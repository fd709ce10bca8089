package dev.kindling.function;

import java.io.Serializable;
import dev.kindling.Pair;
import java.util.Iterator;

/**
 * A function turning an element into zero or more key/value pairs, as used by {@code
 * flatMapToPair}. Serializable, so it can be shipped to executors; may throw checked exceptions,
 * so a lambda can do I/O.
 */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> extends Serializable {

    /** Applies the function. */
    Iterator<Pair<K, V>> call(T value) throws Exception;
}
