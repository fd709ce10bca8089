package dev.kindling.function;

import java.io.Serializable;

/**
 * A function of one argument, as used by {@code map}, {@code filter} and {@code keyBy}.
 * Serializable, so it can be shipped to executors; may throw checked exceptions, so a lambda can
 * do I/O.
 */
@FunctionalInterface
public interface Function<T, R> extends Serializable {

    /** Applies the function. */
    R call(T value) throws Exception;
}
