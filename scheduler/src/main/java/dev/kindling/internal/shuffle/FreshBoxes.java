package dev.kindling.internal.shuffle;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Boxes that are always new objects, for handing an unboxed combiner to the user's function.
 * {@code Integer.valueOf} returns either a cached box or a new one; the JIT cannot replace a box
 * that may be either by the number it holds, so {@link CombineMap} allocated one per merge even
 * when the user's function was inlined and only read it. A box known to be new it can replace
 * (escape analysis). The constructors are deprecated for removal, so they are reached through
 * method handles, found once ({@code static final}: the JIT inlines the call to a plain
 * {@code new}); if a JDK ever removes them, {@code valueOf} stands in.
 */
final class FreshBoxes {

    private static final MethodHandle NEW_INTEGER = constructorOr(Integer.class, int.class, "valueOf");
    private static final MethodHandle NEW_LONG = constructorOr(Long.class, long.class, "valueOf");

    private FreshBoxes() {
    }

    /** A new {@code Integer} holding {@code value}. */
    static Integer ofInt(int value) {
        try {
            return (Integer) NEW_INTEGER.invokeExact(value);
        } catch (Throwable e) {
            throw new AssertionError("boxing cannot fail", e);
        }
    }

    /** A new {@code Long} holding {@code value}. */
    static Long ofLong(long value) {
        try {
            return (Long) NEW_LONG.invokeExact(value);
        } catch (Throwable e) {
            throw new AssertionError("boxing cannot fail", e);
        }
    }

    private static MethodHandle constructorOr(Class<?> box, Class<?> primitive, String factory) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            return lookup.findConstructor(box, MethodType.methodType(void.class, primitive));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            try {
                return lookup.findStatic(box, factory, MethodType.methodType(box, primitive));
            } catch (NoSuchMethodException | IllegalAccessException missing) {
                throw new ExceptionInInitializerError(missing);
            }
        }
    }
}
