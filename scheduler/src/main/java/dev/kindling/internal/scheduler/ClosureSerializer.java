package dev.kindling.internal.scheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * The one place where user objects (task functions, broadcast values, zero values) are turned into
 * bytes and back with Java serialization, as they would be to reach an executor. Reading resolves
 * classes through the object's own class loader first (JShell, plugins; see
 * {@link LoaderAwareObjectInputStream}).
 *
 * <p>Each method takes a {@code failure} function that turns the exception into the message the
 * caller's user needs: what could not be serialized, where, and what to change. It is only called
 * when something fails, so building the message costs nothing on success.
 *
 * <p>Thread safety: stateless; all methods may be called from any thread.
 */
public final class ClosureSerializer {

    private ClosureSerializer() {
    }

    /**
     * Serializes {@code value}.
     *
     * @param failure builds the error message from the exception serialization threw
     * @throws IllegalArgumentException if {@code value} cannot be serialized, with that message and
     *     the original exception as cause
     */
    public static byte[] serialize(Object value, Function<? super Exception, String> failure) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        write(value, bytes, failure);
        return bytes.toByteArray();
    }

    /**
     * Checks that {@code value} serializes, without keeping the bytes.
     *
     * @param failure builds the error message from the exception serialization threw
     * @throws IllegalArgumentException if {@code value} cannot be serialized, with that message and
     *     the original exception as cause
     */
    public static void checkSerializable(Object value, Function<? super Exception, String> failure) {
        write(value, OutputStream.nullOutputStream(), failure);
    }

    /**
     * Reads back an object written by {@link #serialize}, resolving classes through {@code loader}
     * (may be null) before the thread's context class loader.
     *
     * @param failure builds the error message from the exception deserialization threw
     * @throws IllegalStateException if the bytes cannot be read back, with that message and the
     *     original exception as cause
     */
    @SuppressWarnings("unchecked")
    public static <T> T deserialize(byte[] bytes, ClassLoader loader, Function<? super Exception, String> failure) {
        try (ObjectInputStream in = new LoaderAwareObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new IllegalStateException(failure.apply(e), e);
        }
    }

    /**
     * A deep copy of {@code value} made by serializing and deserializing it (classes resolved
     * through the value's own class loader first).
     *
     * @param failure builds the error message from the exception either step threw
     * @throws IllegalArgumentException if {@code value} cannot be copied, with that message and the
     *     original exception as cause
     */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T value, Function<? super Exception, String> failure) {
        byte[] bytes = serialize(value, failure);
        try {
            return (T) deserialize(bytes, value.getClass().getClassLoader(), failure);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e.getCause());
        }
    }

    private static void write(Object value, OutputStream target, Function<? super Exception, String> failure) {
        try (ObjectOutputStream out = new ObjectOutputStream(target)) {
            out.writeObject(value);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(failure.apply(e), e);
        }
    }
}
