package dev.kindling.internal.rdd;

import dev.kindling.internal.scheduler.ClosureSerializer;
import dev.kindling.internal.scheduler.LambdaCopier;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/**
 * Checks, when a transformation is declared, that its function can be serialized (as it must be to
 * reach a remote executor), and explains what to change when it cannot: Spark's "Task not
 * serializable", but naming the captured object and its class.
 */
public final class ClosureChecker {

    private ClosureChecker() {
    }

    /**
     * Throws {@link IllegalArgumentException} if {@code function} cannot be serialized.
     *
     * @param where the operation and call site, e.g. {@code "map at App.java:12"}; asked for only
     *        when the check fails (finding the call site walks the stack, which costs more than the
     *        check itself for a lambda of plain values, and actions check their functions on every call)
     */
    public static void check(Object function, Supplier<String> where) {
        if (function == null) {
            throw new NullPointerException("the function passed to " + where.get() + " is null");
        }
        if (LambdaCopier.isCopyable(function)) {
            return; // a lambda of serializable values only (see LambdaCopier): it serializes
        }
        try {
            ClosureSerializer.checkSerializable(function, e -> "not serializable");
        } catch (IllegalArgumentException failed) {
            // The message is built here, not in the serializer's callback: the call site is found
            // by walking the stack, and the serializer's own frames would count as the caller's.
            Exception e = failed.getCause() instanceof Exception cause ? cause : failed;
            String site = where.get();
            throw new IllegalArgumentException(e instanceof NotSerializableException
                    ? "Task not serializable: the function passed to " + site + " "
                            + describeCulprit(function, e.getMessage()) + ". Make that class implement "
                            + "java.io.Serializable, mark the field transient, or create the object inside the function."
                            + comparatorHint(function)
                    : "Task not serializable: the function passed to " + site + " failed to serialize: " + e, e);
        }
    }

    private static String comparatorHint(Object function) {
        return function instanceof java.util.Comparator<?>
                ? " For a comparator, use dev.kindling.function.SerializableComparator (e.g. "
                + "SerializableComparator.comparing(Pair::value)) instead of java.util.Comparator.comparing."
                : "";
    }

    private static String describeCulprit(Object function, String badClass) {
        SerializedLambda lambda = serializedForm(function);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object arg = lambda.getCapturedArg(i);
                if (arg != null && !serializes(arg)) {
                    String what = i == 0 && lambda.getImplMethodKind() != 6 /* REF_invokeStatic */
                            ? "captures 'this', an object of class " : "captures an object of class ";
                    return what + arg.getClass().getName()
                            + (arg.getClass().getName().equals(badClass) ? "" : " (which holds a " + badClass + ")")
                            + ", which is not serializable (lambda in " + lambda.getImplClass().replace('/', '.') + ")";
                }
            }
        }
        if (function.getClass().getName().equals(badClass)) {
            return "is an instance of " + badClass + ", which is not serializable";
        }
        return "(" + function.getClass().getName() + ") references an object of class " + badClass
                + ", which is not serializable";
    }

    private static boolean serializes(Object o) {
        try {
            ClosureSerializer.checkSerializable(o, Object::toString);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static SerializedLambda serializedForm(Object function) {
        try {
            Method m = function.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            Object form = m.invoke(function);
            return form instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
