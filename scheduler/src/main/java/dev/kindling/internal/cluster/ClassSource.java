package dev.kindling.internal.cluster;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the driver finds the bytes of classes executors ask for (classes compiled in a shell session,
 * for one). Called on network handler threads.
 */
@FunctionalInterface
public interface ClassSource {

    /** A source with no classes. */
    ClassSource NONE = name -> null;

    /** The class file of the class with binary name {@code name}, or {@code null} when there is none. */
    byte[] classBytes(String name) throws IOException;

    /** Class files as resources of {@code loader} ({@code a/b/C$D.class}), as a JShell session's loader serves them. */
    static ClassSource of(ClassLoader loader) {
        return name -> {
            try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
                return in == null ? null : in.readAllBytes();
            }
        };
    }
}
