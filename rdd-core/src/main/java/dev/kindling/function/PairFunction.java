package dev.kindling.function;

import dev.kindling.Pair;

/**
 * A function turning an element into a key/value pair, as used by {@code mapToPair}. Serializable,
 * so it can be shipped to executors; may throw checked exceptions, so a lambda can do I/O. It is a
 * {@link Function} whose result is a {@link Pair}, so the engine applies it as it applies
 * {@code map}'s function, with no adapter between.
 */
@FunctionalInterface
public interface PairFunction<T, K, V> extends Function<T, Pair<K, V>> {

    /** Applies the function. */
    @Override
    Pair<K, V> call(T value) throws Exception;
}
