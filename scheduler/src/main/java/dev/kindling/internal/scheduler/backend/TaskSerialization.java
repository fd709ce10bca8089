package dev.kindling.internal.scheduler.backend;

import java.util.Locale;

/**
 * Whether the local backend serializes what crosses the task boundary
 * ({@code kindling.task.serialization}).
 */
public enum TaskSerialization {
    /**
     * Skip the serialization steps whose result is provably the same in one JVM (the default):
     * descriptions and binaries are handed over as objects, results as the object the task made.
     */
    AUTO,
    /** Encode and decode every description, binary, result, accumulator update and failure, as a remote executor does. */
    ALWAYS;

    /** The configuration key. */
    public static final String KEY = "kindling.task.serialization";

    /** Parses {@code auto} or {@code always} (any case). */
    public static TaskSerialization parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "always":
                return ALWAYS;
            default:
                throw new IllegalArgumentException(KEY + " must be auto or always (got \"" + value + "\")");
        }
    }
}
