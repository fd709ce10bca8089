package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.Shareable;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an object graph (a function and everything it captures) can never change, so a
 * task may share it instead of running its own deserialized copy: the copy would behave exactly
 * the same. Conservative: anything it cannot prove immutable counts as mutable.
 *
 * <p>Immutable means: null; a String, boxed primitive, BigInteger, BigDecimal, Class or enum; a
 * {@link Shareable} object; or a serializable (not externalizable) object without
 * custom serialization hooks (lambdas excepted) whose instance fields are all final, none
 * transient, and hold immutable values. Arrays are mutable.
 */
final class ImmutableGraph {

    private static final int MAX_OBJECTS = 64;

    private static final Set<Class<?>> LEAVES = Set.of(String.class, Integer.class, Long.class, Double.class,
            Float.class, Short.class, Byte.class, Character.class, Boolean.class, BigInteger.class, BigDecimal.class);

    /** Per class: its instance fields if it can be part of an immutable graph, else null. */
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            return immutableFields(type);
        }
    };

    private ImmutableGraph() {
    }

    /** Whether {@code root} and everything reachable from its fields provably never changes. */
    static boolean isImmutable(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> todo = new ArrayList<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.remove(todo.size() - 1);
            if (isLeaf(o) || !seen.add(o)) {
                continue;
            }
            if (seen.size() > MAX_OBJECTS) {
                return false;
            }
            Field[] fields = FIELDS.get(o.getClass());
            if (fields == null) {
                return false;
            }
            for (Field f : fields) {
                if (f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    todo.add(f.get(o));
                } catch (IllegalAccessException | RuntimeException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether {@code o} is a value that never changes and holds nothing that could: null, a string,
     * boxed primitive, big number, class, enum or {@link Shareable} handle. A copy may share it.
     */
    static boolean isLeaf(Object o) {
        return o == null || LEAVES.contains(o.getClass()) || o instanceof Class<?> || o instanceof Enum<?>
                || o instanceof Shareable;
    }

    private static Field[] immutableFields(Class<?> type) {
        if (type.isArray() || !Serializable.class.isAssignableFrom(type)
                || java.io.Externalizable.class.isAssignableFrom(type)) {
            return null;
        }
        if (!type.isHidden() && hasSerializationHook(type)) {
            return null;
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int mods = f.getModifiers();
                if (Modifier.isStatic(mods)) {
                    continue;
                }
                if (!Modifier.isFinal(mods) || Modifier.isTransient(mods)) {
                    return null; // a transient field would differ in a copy: copy, so that shows locally too
                }
                try {
                    f.setAccessible(true);
                } catch (RuntimeException e) {
                    return null;
                }
                fields.add(f);
            }
        }
        return fields.toArray(new Field[0]);
    }

    private static boolean hasSerializationHook(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (String name : new String[] {"writeReplace", "readResolve", "readObject", "writeObject"}) {
                for (var m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
