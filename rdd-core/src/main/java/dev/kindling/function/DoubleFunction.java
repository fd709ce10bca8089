package dev.kindling.function;

import java.io.Serializable;

/**
 * A function turning an element into a primitive double, as used by {@code mapToDouble}.
 * Serializable, so it can be shipped to executors; may throw checked exceptions, so a lambda can
 * do I/O.
 */
@FunctionalInterface
public interface DoubleFunction<T> extends Serializable {

    /** Applies the function. */
    double call(T value) throws Exception;
}
