package dev.kindling.internal.cluster;

import dev.kindling.internal.network.TransportClient;
import java.io.IOException;

/**
 * An executor's loader for task code: its parent (the process's class path) first; a class found
 * nowhere there is asked of the driver ({@link ClusterMessage.FetchClass}) and defined here, as
 * Spark's REPL class loader does for classes a shell session compiled. A class the driver does not
 * have either is a {@link ClassNotFoundException} that says both places were searched.
 */
final class RemoteClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final TransportClient driver;

    RemoteClassLoader(TransportClient driver, ClassLoader parent) {
        super("kindling-driver-classes", parent);
        this.driver = driver;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        try {
            byte[] answer = driver.requestAndWait(new ClusterMessage.FetchClass(name).encode());
            bytes = ClusterMessage.decode(answer, ClusterMessage.ClassBytes.class).bytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " is not on this executor's class path, and asking the driver at "
                    + driver.remoteAddress() + " for it failed: " + e.getMessage(), e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is neither on this executor's class path nor served by the driver at "
                    + driver.remoteAddress() + " (is it defined in the driver's program or shell session?)");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
