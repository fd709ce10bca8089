package dev.kindling.shell;

import dev.kindling.KindlingContext;
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
 * <p>Multi-line strings are shown as text ({@link ReadableValues}), so {@code rdd.toDebugString()}
 * prints a readable lineage. Ctrl-C cancels the running jobs before JShell stops the snippet; {@code /exit} and
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
            this.context = ShellSession.open();
        }

        @Override
        protected String invoke(java.lang.reflect.Method doitMethod) throws Exception {
            return ReadableValues.readable(super.invoke(doitMethod));
        }

        @Override
        public String varValue(String className, String varName) throws RunException, EngineTerminationException,
                InternalException {
            return ReadableValues.readable(super.varValue(className, varName));
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
}
