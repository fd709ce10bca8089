package dev.kindling.function;

import java.io.Serializable;

/**
 * A function of no argument, producing a value. Serializable, so it can be shipped to executors;
 * may throw checked exceptions, so a lambda can do I/O.
 */
@FunctionalInterface
public interface Function0<R> extends Serializable {

    /** Applies the function. */
    R call() throws Exception;
}
