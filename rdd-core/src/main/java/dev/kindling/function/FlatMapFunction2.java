package dev.kindling.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A function of two arguments returning zero or more results, as used by {@code zipPartitions}.
 * Serializable, so it can be shipped to executors; may throw checked exceptions, so a lambda can
 * do I/O.
 */
@FunctionalInterface
public interface FlatMapFunction2<T1, T2, R> extends Serializable {

    /** Applies the function. */
    Iterator<R> call(T1 first, T2 second) throws Exception;
}
