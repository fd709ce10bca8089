package dev.kindling;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-thread local properties of a {@link KindlingContext}, as Spark's
 * {@code SparkContext.localProperties}: a thread starts with a copy of its parent thread's properties
 * (taken when the thread is created), and later changes on either side do not reach the other.
 *
 * <p>Thread safety: each thread sees only its own map.
 */
final class LocalProperties {

    private final InheritableThreadLocal<Map<String, String>> properties = new InheritableThreadLocal<>() {
        @Override
        protected Map<String, String> initialValue() {
            return new HashMap<>();
        }

        @Override
        protected Map<String, String> childValue(Map<String, String> parent) {
            return new HashMap<>(parent);
        }
    };

    /** Sets {@code key} for the calling thread; a null value removes it. */
    void set(String key, String value) {
        if (key == null) {
            throw new IllegalArgumentException("A local property needs a key, but the key was null");
        }
        if (value == null) {
            properties.get().remove(key);
        } else {
            properties.get().put(key, value);
        }
    }

    /** The calling thread's value of {@code key}, or null. */
    String get(String key) {
        return properties.get().get(key);
    }

    /** An immutable copy of the calling thread's properties, as a job captures them at submission. */
    Map<String, String> snapshot() {
        return Map.copyOf(properties.get());
    }
}
