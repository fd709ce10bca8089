package dev.kindling.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Helpers to inspect exception cause chains in reliability tests. */
final class Failures {

    private Failures() {
    }

    /** The throwable and its causes, outermost first (cycles cut). */
    static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    /** The first throwable of {@code type} in the cause chain of {@code t}, or null. */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c : chain(t)) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
