package dev.kindling.function;

import dev.kindling.Pair;
import java.util.Iterator;

/**
 * A function turning an element into zero or more key/value pairs, as used by {@code
 * flatMapToPair}. Serializable, so it can be shipped to executors; may throw checked exceptions,
 * so a lambda can do I/O. It is a {@link FlatMapFunction} whose elements are {@link Pair}s, so the
 * engine applies it as it applies {@code flatMap}'s function, with no adapter between.
 */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> extends FlatMapFunction<T, Pair<K, V>> {

    /** Applies the function. */
    @Override
    Iterator<Pair<K, V>> call(T value) throws Exception;
}
