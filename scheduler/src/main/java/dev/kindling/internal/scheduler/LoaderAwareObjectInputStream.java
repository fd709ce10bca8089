package dev.kindling.internal.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * The {@link ObjectInputStream} of {@link ClosureSerializer}, which copies user objects (task
 * functions, broadcast values): it resolves classes through the object's own class loader first
 * (JShell, plugins), then the thread's context class loader, then the default. Without it, classes
 * defined in JShell or a plugin loader could not be read back on executor threads.
 */
final class LoaderAwareObjectInputStream extends ObjectInputStream {
    private final ClassLoader own;

    /**
     * Reads from {@code in}, trying {@code own} (may be null) before the context class loader.
     *
     * @throws IOException if the stream header cannot be read
     */
    LoaderAwareObjectInputStream(InputStream in, ClassLoader own) throws IOException {
        super(in);
        this.own = own;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        for (ClassLoader loader : new ClassLoader[] {own, Thread.currentThread().getContextClassLoader()}) {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException ignored) {
                    // try the next loader
                }
            }
        }
        return super.resolveClass(desc);
    }
}
