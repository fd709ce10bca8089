package dev.kindling.internal.storage.serializer;

import dev.kindling.storage.KryoRegistrator;
import dev.kindling.storage.SerializationException;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import com.esotericsoftware.minlog.Log;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns objects into bytes and back with Kryo, for cached blocks, shuffle spills, checkpoints and
 * object files. Handles records, serializable lambdas, JDK collections (including {@code List.of}
 * and {@code Map.of} immutables and {@code Collections} wrappers), {@code Optional}, arrays of
 * primitives and fastutil collections without registration.
 *
 * <p>Thread safety: one instance is shared by all threads. Kryo itself is not thread-safe, so each
 * call borrows a configured Kryo from a bounded pool and returns it afterwards; a
 * {@link RecordWriter} or {@link RecordReader} holds its Kryo until it is closed.
 */
public final class KryoSerializer {

    /**
     * Shared (stateless) lambda serializer. Its constructor probes JDK internals that Java 17 keeps
     * closed and logs a warning per instance before falling back to public APIs; creating it once
     * with Kryo's log quieted keeps the logs clean.
     */
    private static final ClosureSerializer CLOSURES = quietClosureSerializer();

    private final Pool<Kryo> pool;
    private final List<KryoRegistrator> registrators;
    private final ClassLoader classLoader;

    private KryoSerializer(Builder b) {
        this.registrators = List.copyOf(b.registrators);
        this.classLoader = b.classLoader;
        this.pool = new Pool<>(true, false, Math.max(8, Runtime.getRuntime().availableProcessors() * 4)) {
            @Override
            protected Kryo create() {
                return newKryo();
            }
        };
    }

    /** A serializer with no registrators, using the context class loader. */
    public static KryoSerializer create() {
        return builder().build();
    }

    /** Starts configuring a serializer. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link KryoSerializer}. */
    public static final class Builder {
        private final List<KryoRegistrator> registrators = new ArrayList<>();
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Adds a registrator run on every Kryo instance. */
        public Builder registrator(KryoRegistrator registrator) {
            registrators.add(Objects.requireNonNull(registrator, "registrator"));
            return this;
        }

        /** Adds registrators by class name, as given in {@code kindling.kryo.registrator} (comma-separated). */
        public Builder registrators(String classNames) {
            if (classNames == null || classNames.isBlank()) {
                return this;
            }
            for (String name : classNames.split(",")) {
                registrators.add(instantiate(name.trim()));
            }
            return this;
        }

        /** Registers {@code classes} (in this order, so ids agree everywhere). */
        public Builder register(Class<?>... classes) {
            List<Class<?>> copy = List.of(classes);
            registrators.add(kryo -> copy.forEach(kryo::register));
            return this;
        }

        /** The class loader used to resolve class names when reading; default: the thread's context loader. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** Builds the serializer. */
        public KryoSerializer build() {
            return new KryoSerializer(this);
        }

        private KryoRegistrator instantiate(String name) {
            ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
            try {
                Class<?> c = Class.forName(name, true, loader);
                if (!KryoRegistrator.class.isAssignableFrom(c)) {
                    throw new IllegalArgumentException("kindling.kryo.registrator names " + name + ", which does not implement "
                            + KryoRegistrator.class.getName());
                }
                return (KryoRegistrator) c.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("Cannot create the Kryo registrator \"" + name
                        + "\" given in kindling.kryo.registrator; it must be a public class with a public no-argument constructor: "
                        + e, e);
            }
        }
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.setClassLoader(classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader());
        kryo.register(ClosureSerializer.Closure.class, CLOSURES);
        // Wrappers whose add()/put() throw: write them with Java serialization (they are Serializable).
        JavaSerializer java = new JavaSerializer();
        kryo.addDefaultSerializer(Collections.unmodifiableCollection(new ArrayList<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableList(new ArrayList<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableList(new java.util.LinkedList<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableSet(new java.util.HashSet<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableSortedSet(new java.util.TreeSet<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableMap(new java.util.HashMap<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.unmodifiableSortedMap(new java.util.TreeMap<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.synchronizedList(new ArrayList<>()).getClass(), java);
        kryo.addDefaultSerializer(Collections.synchronizedMap(new java.util.HashMap<>()).getClass(), java);
        for (KryoRegistrator r : registrators) {
            r.registerClasses(kryo);
        }
        return kryo;
    }

    private static ClosureSerializer quietClosureSerializer() {
        synchronized (Log.class) {
            boolean warn = Log.WARN;
            Log.set(Log.LEVEL_ERROR);
            try {
                return new ClosureSerializer();
            } finally {
                if (warn) {
                    Log.set(Log.LEVEL_WARN);
                }
            }
        }
    }

    /** Runs {@code action} with a pooled Kryo instance that no other thread uses meanwhile. */
    public <R> R withKryo(Function<Kryo, R> action) {
        Kryo kryo = pool.obtain();
        try {
            return action.apply(kryo);
        } finally {
            pool.free(kryo);
        }
    }

    /** Serializes one object graph (null allowed) into a byte array. */
    public byte[] serialize(Object value) {
        return withKryo(kryo -> {
            Output out = new Output(256, -1);
            try {
                kryo.writeClassAndObject(out, value);
            } catch (KryoException e) {
                throw failure("serialize", value, e);
            }
            return out.toBytes();
        });
    }

    /** Reads back an object written by {@link #serialize(Object)}. */
    @SuppressWarnings("unchecked")
    public <T> T deserialize(byte[] bytes) {
        return withKryo(kryo -> {
            try {
                return (T) kryo.readClassAndObject(new Input(bytes));
            } catch (KryoException e) {
                throw new SerializationException("Cannot deserialize " + bytes.length + " bytes with Kryo: "
                        + e.getMessage() + "; was it written by another version of the class?", e);
            }
        });
    }

    /** Opens a writer of a stream of objects; the writer holds a Kryo until closed and closes {@code out}. */
    public RecordWriter newWriter(OutputStream out) {
        return new RecordWriter(this, pool.obtain(), out);
    }

    /** Opens a reader of a stream written by {@link #newWriter}; closes {@code in} when closed. */
    public RecordReader newReader(InputStream in) {
        return new RecordReader(this, pool.obtain(), in);
    }

    void release(Kryo kryo) {
        pool.free(kryo);
    }

    static SerializationException failure(String what, Object value, KryoException e) {
        String type = value == null ? "null" : value.getClass().getName();
        return new SerializationException("Cannot " + what + " an object of " + type + " with Kryo: " + e.getMessage()
                + "; register a serializer for it with kindling.kryo.registrator, or make it a record or a class"
                + " with a no-argument constructor", e);
    }
}
