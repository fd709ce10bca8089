package dev.kindling.internal.util;

/**
 * Rethrows a checked exception from a user function without wrapping it, so a job's failure keeps
 * the user's exception itself as its cause, and iterators can carry it through {@code next()}.
 */
public final class Unchecked {

    private Unchecked() {
    }

    /** Throws {@code t} as is, whatever its type; declared to return so callers can write {@code throw}. */
    public static RuntimeException rethrow(Throwable t) {
        return Unchecked.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
