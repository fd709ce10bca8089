package dev.kindling.internal.rdd;

import dev.kindling.Pair;
import dev.kindling.Triple;
import dev.kindling.internal.scheduler.ClosureSerializer;
import dev.kindling.internal.scheduler.LambdaCopier;
import java.io.Serializable;
import java.util.Set;

/**
 * Deep copies of "zero values" (fold, aggregate, aggregateByKey), so that each partition and each
 * key starts from its own copy even when the zero is mutable. Immutable JDK values are shared.
 */
public final class Copies {

    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Double.class,
            Float.class, Short.class, Byte.class, Character.class, Boolean.class, java.math.BigInteger.class,
            java.math.BigDecimal.class);

    private Copies() {
    }

    /**
     * Returns a deep copy of {@code value}, or the value itself when it is immutable: null, an
     * immutable JDK type, an enum, or a {@link Pair} or {@link Triple} of immutable values.
     */
    public static <T> T copy(T value) {
        if (isImmutable(value)) {
            return value;
        }
        T array = copyPrimitiveArray(value);
        if (array != null) {
            return array;
        }
        if (!(value instanceof Serializable)) {
            throw new IllegalArgumentException("The zero value (" + value.getClass().getName()
                    + ") must be Serializable so each partition can start from its own copy");
        }
        return ClosureSerializer.copy(value, e -> "Could not copy the zero value of class "
                + value.getClass().getName() + ": " + e + ". Check the readObject/readResolve methods of its classes");
    }

    /** A clone of a primitive array (the common zero of numeric aggregations), or null for anything else. */
    @SuppressWarnings("unchecked")
    private static <T> T copyPrimitiveArray(T value) {
        return (T) LambdaCopier.clonePrimitiveArray(value);
    }

    /** Whether {@code value} can be shared without copying (a cheap check that never serializes). */
    static boolean isImmutable(Object value) {
        if (value == null || IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>) {
            return true;
        }
        if (value instanceof Pair<?, ?> p) {
            return isImmutable(p.key()) && isImmutable(p.value());
        }
        if (value instanceof Triple<?, ?, ?> t) {
            return isImmutable(t.first()) && isImmutable(t.second()) && isImmutable(t.third());
        }
        return false;
    }
}
