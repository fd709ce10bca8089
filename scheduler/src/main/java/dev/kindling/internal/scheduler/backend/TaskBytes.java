package dev.kindling.internal.scheduler.backend;

import dev.kindling.internal.network.DeserializationLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Java serialization of what crosses the task boundary: task binaries, results, accumulator updates
 * and failures. Reading goes through an {@link java.io.ObjectInputFilter} that bounds depth, array
 * lengths and references ({@link #LIMITS}), and resolves classes through a given loader first (the
 * job's, e.g. JShell's), then the thread's context class loader. {@link java.util.Optional}, which
 * outer joins put in results but which is not serializable, travels as a stand-in and is read back
 * as an {@code Optional}.
 *
 * <p>Thread safety: stateless.
 */
public final class TaskBytes {

    /**
     * Bounds on task and result streams: depth 20,000 (deep lineages of iterative programs nest one
     * RDD in the next), arrays up to {@code Integer.MAX_VALUE - 8}, 200 million references.
     */
    public static final DeserializationLimits LIMITS =
            new DeserializationLimits(20_000, Integer.MAX_VALUE - 8, 200_000_000L, Long.MAX_VALUE);

    private TaskBytes() {
    }

    /**
     * Serializes {@code value}; {@code visitor} (may be null) sees every object written, so a
     * caller can collect the ids of broadcasts and accumulators a task binary holds.
     *
     * @throws IOException if something in the graph cannot be serialized
     */
    public static byte[] serialize(Object value, Consumer<Object> visitor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = visitor == null ? new OptionalWriting(bytes) : new Visiting(bytes, visitor)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads back one object of {@code type} (or null), through the deserialization filter.
     *
     * @param loader tried before the thread's context class loader (may be null)
     * @throws IOException if the stream breaks a limit, names a class that cannot be loaded, holds
     *     another type, or its objects fail to read themselves
     */
    public static <T> T deserialize(byte[] bytes, Class<T> type, ClassLoader loader) throws IOException {
        try (ObjectInputStream in = new Resolving(new ByteArrayInputStream(bytes), loader)) {
            in.setObjectInputFilter(LIMITS.filter());
            Object o = in.readObject();
            if (o != null && !type.isInstance(o)) {
                throw new IOException("Expected a " + type.getName() + ", got " + (o == null ? "null" : o.getClass().getName()));
            }
            return type.cast(o);
        } catch (InvalidClassException e) {
            throw new IOException("Refused by the deserialization filter (" + LIMITS + ") or an incompatible class: "
                    + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IOException("Names a class this JVM cannot load: " + e.getMessage(), e);
        }
    }

    /** An output stream that shows every object to a visitor before writing it. */
    private static final class Visiting extends ObjectOutputStream {
        private final Consumer<Object> visitor;

        Visiting(OutputStream out, Consumer<Object> visitor) throws IOException {
            super(out);
            this.visitor = visitor;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            visitor.accept(obj);
            return obj instanceof java.util.Optional<?> o ? new OptionalForm(o.orElse(null)) : obj;
        }
    }

    /** An output stream that writes {@link java.util.Optional}s as {@link OptionalForm}s. */
    private static final class OptionalWriting extends ObjectOutputStream {
        OptionalWriting(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            return obj instanceof java.util.Optional<?> o ? new OptionalForm(o.orElse(null)) : obj;
        }
    }

    /** The serialized form of a {@link java.util.Optional}: its value, or null when empty. */
    private record OptionalForm(Object value) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Resolves classes through a given loader, then the context class loader, then the default rules. */
    private static final class Resolving extends ObjectInputStream {
        private final ClassLoader loader;

        Resolving(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
            enableResolveObject(true);
        }

        @Override
        protected Object resolveObject(Object obj) {
            return obj instanceof OptionalForm f ? java.util.Optional.ofNullable(f.value()) : obj;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            for (ClassLoader l : new ClassLoader[] {loader, Thread.currentThread().getContextClassLoader()}) {
                if (l != null) {
                    try {
                        return Class.forName(desc.getName(), false, l);
                    } catch (ClassNotFoundException ignored) {
                        // try the next loader
                    }
                }
            }
            return super.resolveClass(desc);
        }
    }
}
