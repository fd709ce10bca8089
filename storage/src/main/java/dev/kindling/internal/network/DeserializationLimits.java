package dev.kindling.internal.network;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * Bounds on Java deserialization of bytes that came over the network: graph depth, array length,
 * object references and stream bytes, enforced by an {@link ObjectInputFilter} (merged with the JVM's
 * own {@code jdk.serialFilter}, if one is set) before anything is allocated. Bytes from a peer are
 * only ever deserialized through {@link #readObject}, and only after the connection authenticated.
 *
 * @param maxDepth       deepest nesting of objects
 * @param maxArrayLength longest array
 * @param maxReferences  most object references in one stream
 * @param maxBytes       most bytes one stream may hold
 */
public record DeserializationLimits(long maxDepth, long maxArrayLength, long maxReferences, long maxBytes) {

    /** Limits for payloads that fit in frames of {@code maxFrameBytes}: depth 2000, one million references. */
    public static DeserializationLimits forFrames(int maxFrameBytes) {
        return new DeserializationLimits(2_000, maxFrameBytes, 1_000_000, maxFrameBytes);
    }

    /** The filter these limits describe, merged with the JVM-wide filter when one is configured. */
    public ObjectInputFilter filter() {
        ObjectInputFilter own = info -> {
            if (info.depth() > maxDepth || info.references() > maxReferences || info.streamBytes() > maxBytes
                    || (info.serialClass() != null && info.serialClass().isArray() && info.arrayLength() > maxArrayLength)) {
                return ObjectInputFilter.Status.REJECTED;
            }
            return ObjectInputFilter.Status.UNDECIDED;
        };
        ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
        return global == null ? own : ObjectInputFilter.merge(own, global);
    }

    /**
     * Deserializes one object of {@code type} from {@code bytes} with classes from {@code loader}; a
     * stream past a limit, a class that cannot be found or an object of another type is an
     * {@link IOException} that says which.
     */
    public <T> T readObject(byte[] bytes, Class<T> type, ClassLoader loader) throws IOException {
        if (bytes.length > maxBytes) {
            // The filter sees the stream's position only at each object; the whole input is checked here.
            throw new IOException("A message of " + bytes.length + " bytes is larger than the " + maxBytes
                    + " bytes the deserialization filter allows");
        }
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            in.setObjectInputFilter(filter());
            Object o = in.readObject();
            if (!type.isInstance(o)) {
                throw new IOException("Expected a " + type.getName() + " in the message, got "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            return type.cast(o);
        } catch (InvalidClassException e) {
            throw new IOException("A message was refused by the deserialization filter (" + this + "): "
                    + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IOException("A message names a class this JVM cannot load: " + e.getMessage(), e);
        }
    }

    /** Java serialization of {@code o}, the inverse of {@link #readObject}. */
    public static byte[] serialize(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize a " + o.getClass().getName() + ": " + e.getMessage()
                    + "; messages must be Serializable", e);
        }
        return bytes.toByteArray();
    }

    /** Resolves classes through a given loader (the shell's, later), falling back to the default rules. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // primitives and classes only the default rules know
                }
            }
            return super.resolveClass(desc);
        }
    }
}
