package dev.kindling.function;

import java.io.Serializable;

/**
 * A function of three arguments. Serializable, so it can be shipped to executors; may throw
 * checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface Function3<T1, T2, T3, R> extends Serializable {

    /** Applies the function. */
    R call(T1 first, T2 second, T3 third) throws Exception;
}
