package dev.kindling;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Entry point: creates ready-to-use {@link KindlingContext}s.
 *
 * <pre>{@code
 * try (KindlingContext kc = Kindling.local()) {
 *     long evens = kc.range(0, 1_000_000).filter(x -> x % 2 == 0).count();
 * }
 * }</pre>
 */
public final class Kindling {

    private Kindling() {
    }

    /** A local context with one executor thread per available core. */
    public static KindlingContext local() {
        return builder().build();
    }

    /** A local context with {@code threads} executor threads. */
    public static KindlingContext local(int threads) {
        return builder().master("local[" + threads + "]").build();
    }

    /** A builder for a context with custom configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects configuration keys and creates a context. */
    public static final class Builder {
        private final Map<String, String> conf = new LinkedHashMap<>();

        private Builder() {
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith("kindling.")) {
                    conf.put(name, System.getProperty(name));
                }
            }
        }

        /** Sets {@value KindlingConf#MASTER}: {@code local}, {@code local[N]} or {@code local[*]} (one attempt per task), or {@code local[N,F]} (F attempts). */
        public Builder master(String master) {
            return config(KindlingConf.MASTER, master);
        }

        /** Sets {@value KindlingConf#APP_NAME}. */
        public Builder appName(String name) {
            return config(KindlingConf.APP_NAME, name);
        }

        /** Sets any configuration key. */
        public Builder config(String key, String value) {
            if (key == null || value == null) {
                throw new IllegalArgumentException("config key and value must not be null (got " + key + "=" + value + ")");
            }
            conf.put(key, value);
            return this;
        }

        /** Sets any configuration key to a number or boolean. */
        public Builder config(String key, Object value) {
            return config(key, String.valueOf(value));
        }

        /**
         * Creates the context; it is ready to run jobs. A context still open when the JVM stops is
         * closed by a shutdown hook (see the README's Scheduling section).
         */
        public KindlingContext build() {
            KindlingConf settings = new KindlingConf(conf);
            settings.unknownKeyWarnings().forEach(LoggerFactory.getLogger(Kindling.class)::warn);
            KindlingContext context = new KindlingContext(settings);
            ContextShutdownHook.register(context);
            return context;
        }
    }
}
