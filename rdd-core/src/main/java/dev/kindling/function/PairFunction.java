package dev.kindling.function;

import java.io.Serializable;
import dev.kindling.Pair;

/**
 * A function turning an element into a key/value pair, as used by {@code mapToPair}. Serializable,
 * so it can be shipped to executors; may throw checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface PairFunction<T, K, V> extends Serializable {

    /** Applies the function. */
    Pair<K, V> call(T value) throws Exception;
}
