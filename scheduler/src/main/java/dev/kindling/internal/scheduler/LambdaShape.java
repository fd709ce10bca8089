package dev.kindling.internal.scheduler;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;

/**
 * How {@link LambdaCopier} reads and rebuilds one class of serializable lambda: its captured values
 * (the class's {@code arg$1}, {@code arg$2}... fields, in order) and its constructor, which takes
 * them in that order. A copy is then a few field reads and one constructor call, of the same class
 * as the original, instead of a {@link SerializedLambda} round trip through the capturing class's
 * {@code $deserializeLambda$}: that path runs hundreds of bytecodes (string switches over every
 * lambda of the class) on each copy, and a copy is made for every task of every job.
 *
 * <p>Only classes that serialize too qualify: the JDK's hidden lambda classes with a
 * {@code writeReplace} method, whose capturing class has a {@code $deserializeLambda$}.
 *
 * @param captured    the captured-value fields, accessible, in constructor order
 * @param constructor the accessible constructor taking the captured values
 */
record LambdaShape(Field[] captured, Constructor<?> constructor) {

    private static final String CAPTURE_PREFIX = "arg$";

    /** The shape of {@code type}, or null if it is not a serializable lambda class this way can copy. */
    static LambdaShape of(Class<?> type) {
        if (!type.isHidden() || !Serializable.class.isAssignableFrom(type) || !hasDeserializer(type)) {
            return null;
        }
        try {
            type.getDeclaredMethod("writeReplace");
            Field[] fields = type.getDeclaredFields();
            for (Field f : fields) {
                int mods = f.getModifiers();
                if (Modifier.isStatic(mods) || !Modifier.isFinal(mods) || !f.getName().startsWith(CAPTURE_PREFIX)) {
                    return null;
                }
            }
            Arrays.sort(fields, Comparator.comparingInt(LambdaShape::captureIndex));
            Constructor<?>[] constructors = type.getDeclaredConstructors();
            if (constructors.length != 1) {
                return null;
            }
            Class<?>[] parameters = constructors[0].getParameterTypes();
            if (parameters.length != fields.length) {
                return null;
            }
            for (int i = 0; i < fields.length; i++) {
                if (parameters[i] != fields[i].getType() || captureIndex(fields[i]) != i + 1) {
                    return null;
                }
                fields[i].setAccessible(true);
            }
            constructors[0].setAccessible(true);
            return new LambdaShape(fields, constructors[0]);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not a lambda class, or not open to reflection: left to serialization
        }
    }

    /** Whether the capturing class can deserialize the lambda (javac gives it {@code $deserializeLambda$}). */
    private static boolean hasDeserializer(Class<?> type) {
        try {
            type.getNestHost().getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static int captureIndex(Field f) {
        try {
            return Integer.parseInt(f.getName().substring(CAPTURE_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
