package dev.kindling.shell;

import dev.kindling.KindlingContext;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell execution engine {@code kindling}: JShell's local engine (snippets run in the shell's own
 * JVM), plus a Kindling context that lives exactly as long as the engine.
 *
 * <p>Why local execution: snippets, the context and its executor threads share one JVM, so
 * functions and classes defined in snippets run in tasks without shipping classes anywhere. The
 * context is created on the thread that creates the engine, right after JShell installs the
 * snippets' class loader as that thread's context class loader, so executor threads inherit it and
 * deserialization in tasks (zero values, cached blocks) finds snippet classes. The threads belong
 * to the shell's thread group, not the one JShell stops on Ctrl-C.
 *
 * <p>Multi-line strings are shown as text and arrays element by element, also inside pairs and
 * collections ({@link ReadableValues}), so {@code rdd.toDebugString()} prints a readable lineage and
 * {@code histogram(3)} its buckets and counts. To see a snippet's value itself (JShell hands the
 * engine only its text), the snippet's method is run through {@link ValueCapture#run}, which keeps
 * the value. Ctrl-C cancels the running jobs before JShell stops the snippet; {@code /exit} and
 * {@code /reset} close the context (a reset opens a fresh one). Found by {@link java.util.ServiceLoader}
 * when JShell is started with {@code --execution kindling}.
 */
public final class KindlingExecutionControlProvider implements ExecutionControlProvider {

    /** Name to pass to JShell's {@code --execution}. */
    public static final String NAME = "kindling";

    /** Creates the provider (used by {@link java.util.ServiceLoader}). */
    public KindlingExecutionControlProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new KindlingExecutionControl();
    }

    /** Local execution that owns the session's context. */
    private static final class KindlingExecutionControl extends LocalExecutionControl {
        private final KindlingContext context;

        KindlingExecutionControl() {
            super(); // installs the snippet class loader as this thread's context class loader
            String jars = ShellSession.jars();
            if (jars != null) {
                try {
                    addToClasspath(jars); // shell --jars: the snippets' loader, so executor threads load them too
                } catch (EngineTerminationException | InternalException e) {
                    throw new IllegalStateException("Cannot add the --jars " + jars + " to the session: " + e.getMessage(), e);
                }
            }
            this.context = ShellSession.open();
        }

        @Override
        protected String invoke(Method doitMethod) throws Exception {
            ValueCapture.arm(doitMethod);
            try {
                String shown = super.invoke(ValueCapture.RUN);
                return ReadableValues.readable(shown, ValueCapture.value());
            } finally {
                ValueCapture.disarm();
            }
        }

        @Override
        public String varValue(String className, String varName) throws RunException, EngineTerminationException,
                InternalException {
            String shown = super.varValue(className, varName);
            try {
                Field field = findClass(className).getDeclaredField(varName);
                field.setAccessible(true);
                return ReadableValues.readable(shown, field.get(null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return ReadableValues.readable(shown);
            }
        }

        @Override
        public void stop() throws EngineTerminationException, InternalException {
            context.cancelAllJobs();
            super.stop();
        }

        @Override
        public void close() {
            try {
                ShellSession.close(context);
            } finally {
                super.close();
            }
        }
    }

    /**
     * Runs a snippet's method and keeps its value for the formatting above. JShell's local engine
     * runs one snippet at a time, on a thread of its own, so one slot (volatile, written by the
     * snippet's thread and read after JShell joined it) is enough.
     */
    static final class ValueCapture {
        /** {@link #run()}, the method handed to JShell's engine in place of the snippet's. */
        static final Method RUN;

        static {
            try {
                RUN = ValueCapture.class.getDeclaredMethod("run");
                RUN.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static volatile Method snippet;
        private static volatile Object value;

        private ValueCapture() {
        }

        static void arm(Method doitMethod) {
            snippet = doitMethod;
            value = null;
        }

        static void disarm() {
            snippet = null;
            value = null;
        }

        /** The value of the snippet run last (null when it failed). */
        static Object value() {
            return value;
        }

        /**
         * Runs the armed snippet method and returns (and keeps) its value; what the snippet throws is
         * rethrown as it is, so JShell reports it (and a stop) exactly as for the snippet itself.
         */
        static Object run() throws Throwable {
            try {
                Object result = snippet.invoke(null);
                value = result;
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
