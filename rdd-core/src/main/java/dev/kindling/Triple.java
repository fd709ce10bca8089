package dev.kindling;

import java.io.Serializable;

/**
 * Three values, as returned per key by a three-way {@link PairRDD#cogroup(PairRDD, PairRDD)}.
 *
 * @param first  the first value
 * @param second the second value
 * @param third  the third value
 */
public record Triple<A, B, C>(A first, B second, C third) implements Serializable {

    @Override
    public String toString() {
        return "(" + first + "," + second + "," + third + ")";
    }
}
