package dev.kindling.internal.scheduler;

import org.slf4j.Logger;

/**
 * Describes and logs throwables from user code without ever throwing: a user's exception may have
 * a {@code getMessage()} or {@code toString()} that throws, and the scheduler's event thread must
 * survive reporting it.
 */
public final class Throwables {

    private Throwables() {
    }

    /** {@code t.toString()}, or its class name when that throws. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "null";
        }
        try {
            return t.toString();
        } catch (Throwable e) {
            return t.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
        }
    }

    /** Logs {@code message} with {@code t} at warn level; falls back to the description alone if that throws. */
    public static void warn(Logger log, String message, Throwable t) {
        try {
            log.warn(message, t);
        } catch (Throwable e) {
            try {
                log.warn("{}: {}", message, describe(t));
            } catch (Throwable ignored) {
                // nothing more can be done; the caller goes on
            }
        }
    }
}
