package dev.kindling.internal.scheduler;

import java.io.Serializable;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Deep copies of the most common shape of task function without Java serialization: a serializable
 * lambda whose captured values are immutable values (strings, boxed primitives, big numbers, enums,
 * classes, {@link dev.kindling.scheduler.Shareable} handles), primitive arrays, or lambdas of the same shape. Gradient
 * descent's {@code (sums, p) -> add(sums, w, p)} with {@code w} a {@code double[]} is one.
 *
 * <h2>Why</h2>
 * Such a function must be copied for every task (it captures a mutable array), and Java
 * serialization's code is large: on a 2-core machine the JIT spent seconds of compiler-thread time
 * on {@code ObjectOutputStream}/{@code ObjectInputStream} over the first few hundred jobs of a
 * gradient descent, while the tasks waited for a core.
 *
 * <h2>What a copy is</h2>
 * Exactly what a serialization round trip gives for these graphs: each primitive array is cloned
 * once (two references to one array still share one copy), immutable values and shareable handles
 * are kept, and each lambda is rebuilt with the copied captured values by its own class's
 * constructor ({@link LambdaShape}), which is what deserialization ends up calling too. Anything
 * else (a captured object of a user class, an accumulator, a lambda whose class is not open to
 * reflection) makes {@link #copy} answer null, and the
 * caller serializes as before. A graph this class can copy always serializes too: every value in it
 * is serializable.
 *
 * <p>Thread safety: stateless apart from per-class caches; any thread may call it.
 */
public final class LambdaCopier {

    /** Graphs with more objects than this are left to serialization. */
    private static final int MAX_OBJECTS = 256;

    /** Per class: how to read and rebuild it if it is a copyable lambda, else null. */
    private static final ClassValue<LambdaShape> SHAPES = new ClassValue<>() {
        @Override
        protected LambdaShape computeValue(Class<?> type) {
            return LambdaShape.of(type);
        }
    };

    /** A copy and the bytes of the primitive arrays it holds (what a serialized copy would mostly weigh). */
    public record Copy(Object value, long arrayBytes) {
    }

    private LambdaCopier() {
    }

    /** A deep copy of {@code root}, or null when its graph is not of the shape this class copies. */
    public static Copy copy(Object root) {
        Walk walk = new Walk(true);
        Object copied = walk.visit(root);
        return copied == Walk.FAILED ? null : new Copy(copied, walk.arrayBytes);
    }

    /**
     * Whether {@code root} is of the shape {@link #copy} copies (and therefore serializable),
     * found without copying anything.
     */
    public static boolean isCopyable(Object root) {
        return new Walk(false).visit(root) != Walk.FAILED;
    }

    /** A copy of {@code value} if it is an array of a primitive type ({@code double[]}, {@code int[]}...), else null. */
    public static Object clonePrimitiveArray(Object value) {
        if (value == null || !value.getClass().isArray() || !value.getClass().getComponentType().isPrimitive()) {
            return null;
        }
        int length = java.lang.reflect.Array.getLength(value);
        Object copy = java.lang.reflect.Array.newInstance(value.getClass().getComponentType(), length);
        System.arraycopy(value, 0, copy, 0, length);
        return copy;
    }

    /** One traversal of a graph, copying it or only checking its shape. */
    private static final class Walk {

        static final Object FAILED = new Object();

        private final boolean copying;
        private final Map<Object, Object> done = new IdentityHashMap<>();
        long arrayBytes;

        Walk(boolean copying) {
            this.copying = copying;
        }

        Object visit(Object o) {
            if (ImmutableGraph.isLeaf(o)) {
                return o;
            }
            Object seen = done.get(o);
            if (seen != null) {
                return seen;
            }
            if (done.size() >= MAX_OBJECTS) {
                return FAILED;
            }
            Object result = o.getClass().isArray() ? array(o) : lambda(o);
            if (result != FAILED) {
                done.put(o, result);
            }
            return result;
        }

        private Object array(Object o) {
            Class<?> component = o.getClass().getComponentType();
            if (!component.isPrimitive()) {
                return FAILED;
            }
            int length = java.lang.reflect.Array.getLength(o);
            arrayBytes += (long) length * elementBytes(component);
            if (!copying) {
                return o;
            }
            return clonePrimitiveArray(o);
        }

        private Object lambda(Object o) {
            LambdaShape shape = SHAPES.get(o.getClass());
            if (shape == null) {
                return FAILED;
            }
            Object[] args = new Object[shape.captured().length];
            try {
                for (int i = 0; i < args.length; i++) {
                    args[i] = visit(shape.captured()[i].get(o));
                    if (args[i] == FAILED) {
                        return FAILED;
                    }
                }
                return copying ? shape.constructor().newInstance(args) : o;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return FAILED;
            }
        }

        private static int elementBytes(Class<?> component) {
            if (component == double.class || component == long.class) {
                return 8;
            } else if (component == int.class || component == float.class) {
                return 4;
            } else if (component == short.class || component == char.class) {
                return 2;
            }
            return 1;
        }
    }
}
