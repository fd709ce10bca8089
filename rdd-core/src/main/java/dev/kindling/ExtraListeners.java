package dev.kindling;

import dev.kindling.scheduler.SchedulerListener;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the listeners named by {@value KindlingConf#EXTRA_LISTENERS} (a comma-separated list of
 * {@link SchedulerListener} class names) when a context is built, so tools such as the command
 * line's progress bar can watch contexts that programs build themselves. A class is created with its
 * {@code (KindlingConf)} constructor if it has one, else with its no-argument constructor. Listeners
 * that are {@link AutoCloseable} are closed with the context.
 */
final class ExtraListeners {

    private static final Logger LOG = LoggerFactory.getLogger(ExtraListeners.class);

    private ExtraListeners() {
    }

    /** Instantiates the configured listeners; fails with a message naming the class and the fix. */
    static List<SchedulerListener> create(KindlingConf conf) {
        List<SchedulerListener> listeners = new ArrayList<>();
        for (String name : conf.get(KindlingConf.EXTRA_LISTENERS, "").split(",")) {
            String className = name.trim();
            if (!className.isEmpty()) {
                listeners.add(instantiate(className, conf));
            }
        }
        return listeners;
    }

    private static SchedulerListener instantiate(String className, KindlingConf conf) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, loader != null ? loader : ExtraListeners.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(KindlingConf.EXTRA_LISTENERS + " names " + className
                    + ", which is not on the class path; check the name or add its jar", e);
        }
        if (!SchedulerListener.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(KindlingConf.EXTRA_LISTENERS + " names " + className
                    + ", which does not implement " + SchedulerListener.class.getName());
        }
        try {
            try {
                Constructor<?> withConf = type.getConstructor(KindlingConf.class);
                return (SchedulerListener) withConf.newInstance(conf);
            } catch (NoSuchMethodException e) {
                return (SchedulerListener) type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Creating listener " + className + " (from "
                    + KindlingConf.EXTRA_LISTENERS + ") failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(KindlingConf.EXTRA_LISTENERS + " names " + className
                    + ", which needs a public constructor taking a KindlingConf or no arguments", e);
        }
    }

    /** Closes the listeners that are {@link AutoCloseable}, logging failures. */
    static void close(List<SchedulerListener> listeners) {
        for (SchedulerListener l : listeners) {
            if (l instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing listener {} failed; ignoring", l.getClass().getName(), e);
                }
            }
        }
    }
}
