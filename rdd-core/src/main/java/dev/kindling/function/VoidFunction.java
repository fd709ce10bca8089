package dev.kindling.function;

import java.io.Serializable;

/**
 * A function consuming an element, as used by {@code foreach}. Serializable, so it can be shipped
 * to executors; may throw checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface VoidFunction<T> extends Serializable {

    /** Applies the function. */
    void call(T value) throws Exception;
}
