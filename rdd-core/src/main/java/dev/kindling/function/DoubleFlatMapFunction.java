package dev.kindling.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A function turning an element into zero or more doubles, as used by {@code flatMapToDouble}.
 * Serializable, so it can be shipped to executors; may throw checked exceptions, so a lambda can
 * do I/O.
 */
@FunctionalInterface
public interface DoubleFlatMapFunction<T> extends Serializable {

    /** Applies the function. */
    Iterator<Double> call(T value) throws Exception;
}
