package dev.kindling;

import dev.kindling.internal.util.StatusUiKeys;
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
 * {@code (KindlingContext)} constructor if it has one (called once the context is ready: the status
 * web UI reads the context's storage and cancels its jobs), else its {@code (KindlingConf)}
 * constructor, else its no-argument constructor. With {@value StatusUiKeys#ENABLED} true the status
 * UI's class ({@value StatusUiKeys#UI_CLASS}, in the shell module) is added to the list. Listeners
 * that are {@link AutoCloseable} are closed with the context.
 */
final class ExtraListeners {

    private static final Logger LOG = LoggerFactory.getLogger(ExtraListeners.class);

    private ExtraListeners() {
    }

    /**
     * Loads and checks the configured listener classes, before the context starts anything; fails
     * with a message naming the class and the fix.
     */
    static List<Class<?>> resolve(KindlingConf conf) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : conf.get(KindlingConf.EXTRA_LISTENERS, "").split(",")) {
            String className = name.trim();
            if (!className.isEmpty()) {
                classes.add(load(className));
            }
        }
        if (conf.getBoolean(StatusUiKeys.ENABLED, false)
                && classes.stream().noneMatch(c -> c.getName().equals(StatusUiKeys.UI_CLASS))) {
            try {
                classes.add(load(StatusUiKeys.UI_CLASS));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(StatusUiKeys.ENABLED + "=true needs the status UI of the "
                        + "kindling-shell jar (" + StatusUiKeys.UI_CLASS + ") on the class path; add the jar or "
                        + "set " + StatusUiKeys.ENABLED + "=false", e.getCause());
            }
        }
        return classes;
    }

    /**
     * Creates the listeners of {@code classes} for {@code context}, which is ready to run jobs; if one
     * fails, those created before it are closed and the failure is thrown, naming the class.
     */
    static List<SchedulerListener> create(List<Class<?>> classes, KindlingConf conf, KindlingContext context) {
        List<SchedulerListener> listeners = new ArrayList<>();
        try {
            for (Class<?> type : classes) {
                listeners.add(instantiate(type, conf, context));
            }
        } catch (RuntimeException | Error e) {
            close(listeners);
            throw e;
        }
        return listeners;
    }

    private static Class<?> load(String className) {
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
        if (constructor(type) == null) {
            throw new IllegalArgumentException(KindlingConf.EXTRA_LISTENERS + " names " + className
                    + ", which needs a public constructor taking a KindlingContext, a KindlingConf or no arguments");
        }
        return type;
    }

    /** The constructor used for {@code type}, most specific first; null if it has none of the three. */
    private static Constructor<?> constructor(Class<?> type) {
        for (Class<?>[] parameters : List.of(new Class<?>[] {KindlingContext.class},
                new Class<?>[] {KindlingConf.class}, new Class<?>[0])) {
            try {
                return type.getConstructor(parameters);
            } catch (NoSuchMethodException e) {
                // try the next one
            }
        }
        return null;
    }

    private static SchedulerListener instantiate(Class<?> type, KindlingConf conf, KindlingContext context) {
        String className = type.getName();
        try {
            Constructor<?> c = constructor(type);
            Class<?>[] parameters = c.getParameterTypes();
            Object listener = parameters.length == 0 ? c.newInstance()
                    : c.newInstance(parameters[0] == KindlingContext.class ? context : conf);
            return (SchedulerListener) listener;
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
        if (listeners == null) {
            return; // the context failed to start before they were created
        }
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
