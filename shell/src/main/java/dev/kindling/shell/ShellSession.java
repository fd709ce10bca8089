package dev.kindling.shell;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands the shell's ready-made context to the JShell session: the session's startup snippet runs
 * {@code KindlingContext kc = ShellSession.context();}. The shell's execution engine (see
 * {@link KindlingExecutionControlProvider}) opens the context when the session starts or is
 * {@code /reset}, and closes it when the session ends.
 *
 * <p>Snippets run in the same JVM as the shell, so this class is shared by both sides; there is at
 * most one shell session per JVM.
 */
public final class ShellSession {

    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();
    private static KindlingContext current;
    private static java.io.PrintStream announceOn;
    private static String jars;

    private ShellSession() {
    }

    /** The session's context, the one bound to {@code kc}. */
    public static synchronized KindlingContext context() {
        if (current == null || current.isClosed()) {
            throw new IllegalStateException("No Kindling shell session is running in this JVM; start one with "
                    + "'bin/kindling shell', or create a context with Kindling.local()");
        }
        return current;
    }

    /**
     * Sets the jars ({@code --jars}, a class path string, or null) that the snippets' class loader
     * gets when a session's engine starts, before its context opens.
     */
    static synchronized void configureJars(String classPath) {
        jars = classPath;
    }

    /** The jars of {@link #configureJars}, or null. */
    static synchronized String jars() {
        return jars;
    }

    /** Sets the {@code kindling.*} settings for the contexts that sessions open from now on. */
    static synchronized void configure(Map<String, String> settings) {
        SETTINGS.clear();
        SETTINGS.putAll(settings);
    }

    /**
     * Opens a context for a (re)starting session, closing the previous one. Its executor threads
     * inherit the calling thread's context class loader: the loader of the session's snippets.
     */
    static synchronized KindlingContext open() {
        closeCurrent();
        Kindling.Builder builder = Kindling.builder().appName("kindling-shell");
        SETTINGS.forEach(builder::config);
        current = builder.build();
        if (announceOn != null) {
            announceOn.println(KindlingShell.banner(current));
            announceOn.flush();
            announceOn = null;
        }
        return current;
    }

    /** Prints the banner on {@code stream} when the next context opens (null: no banner). */
    static synchronized void announceOn(java.io.PrintStream stream) {
        announceOn = stream;
    }

    /** Closes {@code context} if it is the session's current one. */
    static synchronized void close(KindlingContext context) {
        context.close();
        if (current == context) {
            current = null;
        }
    }

    /** Closes the current context, if any. */
    static synchronized void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
