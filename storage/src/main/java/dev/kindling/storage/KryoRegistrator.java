package dev.kindling.storage;

import com.esotericsoftware.kryo.Kryo;

/**
 * Registers application classes (and optionally custom serializers) with each Kryo instance that
 * Kindling creates. Name an implementation with {@code kindling.kryo.registrator} (a comma-separated
 * list of class names, each with a public no-argument constructor); every context then runs it on
 * each Kryo instance it creates.
 *
 * <p>Registration is optional: unregistered classes are written with their class name. Registering
 * the classes you shuffle or cache often makes their bytes smaller and faster to read.
 *
 * <p>Thread safety: called once for every pooled Kryo instance, possibly from several threads.
 */
@FunctionalInterface
public interface KryoRegistrator {

    /** Registers classes and serializers with {@code kryo}. */
    void registerClasses(Kryo kryo);
}
