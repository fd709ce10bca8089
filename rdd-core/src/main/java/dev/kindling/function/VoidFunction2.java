package dev.kindling.function;

import java.io.Serializable;

/**
 * A function consuming two arguments. Serializable, so it can be shipped to executors; may throw
 * checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface VoidFunction2<T1, T2> extends Serializable {

    /** Applies the function. */
    void call(T1 first, T2 second) throws Exception;
}
