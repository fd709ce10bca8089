package dev.kindling.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A function returning zero or more results per input, as used by {@code flatMap} and {@code
 * mapPartitions}. Serializable, so it can be shipped to executors; may throw checked exceptions,
 * so a lambda can do I/O.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {

    /** Applies the function. */
    Iterator<R> call(T value) throws Exception;
}
