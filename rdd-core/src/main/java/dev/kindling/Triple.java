package dev.kindling;

import java.io.Serializable;

/**
 * Three values, as returned per key by a three-way {@link PairRDD#cogroup(PairRDD, PairRDD)}.
 *
 * @param first  the first value (Spark's {@code _1})
 * @param second the second value (Spark's {@code _2})
 * @param third  the third value (Spark's {@code _3})
 */
public record Triple<A, B, C>(A first, B second, C third) implements Serializable {

    /** Spark-style accessor for the first value. */
    public A _1() {
        return first;
    }

    /** Spark-style accessor for the second value. */
    public B _2() {
        return second;
    }

    /** Spark-style accessor for the third value. */
    public C _3() {
        return third;
    }

    @Override
    public String toString() {
        return "(" + first + "," + second + "," + third + ")";
    }
}
