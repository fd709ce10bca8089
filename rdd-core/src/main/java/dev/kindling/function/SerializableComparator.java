package dev.kindling.function;

import dev.kindling.internal.util.Unchecked;
import java.io.Serializable;
import java.util.Comparator;

/**
 * A comparator that can be shipped to executors, for {@code top}, {@code takeOrdered},
 * {@code sortByKey}, {@code min} and {@code max}. The JDK's {@code Comparator.comparing(...)} is
 * not serializable when its key extractor is a plain lambda, so write
 * {@code SerializableComparator.comparing(Pair::value)} instead.
 *
 * @param <T> the compared type
 */
@FunctionalInterface
public interface SerializableComparator<T> extends Comparator<T>, Serializable {

    /** Orders by the key {@code key} extracts, in the key's natural order. */
    static <T, U extends Comparable<? super U>> SerializableComparator<T> comparing(Function<? super T, ? extends U> key) {
        return (a, b) -> {
            try {
                return key.call(a).compareTo(key.call(b));
            } catch (Exception e) {
                throw Unchecked.rethrow(e);
            }
        };
    }

    /** Natural order of comparable elements. */
    static <T extends Comparable<? super T>> SerializableComparator<T> naturalOrder() {
        return Comparable::compareTo;
    }

    /** This order, reversed. */
    @Override
    default SerializableComparator<T> reversed() {
        return (a, b) -> compare(b, a);
    }

    /** This order, then {@code next} for elements this order finds equal. */
    default SerializableComparator<T> thenComparing(SerializableComparator<? super T> next) {
        return (a, b) -> {
            int c = compare(a, b);
            return c != 0 ? c : next.compare(a, b);
        };
    }
}
