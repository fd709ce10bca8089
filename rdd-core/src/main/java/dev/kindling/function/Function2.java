package dev.kindling.function;

import java.io.Serializable;

/**
 * A function of two arguments, as used by {@code reduce} and {@code reduceByKey}. Serializable, so
 * it can be shipped to executors; may throw checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface Function2<T1, T2, R> extends Serializable {

    /** Applies the function. */
    R call(T1 first, T2 second) throws Exception;
}
