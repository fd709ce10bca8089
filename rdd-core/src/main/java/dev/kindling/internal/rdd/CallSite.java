package dev.kindling.internal.rdd;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Finds where user code called into Kindling, to name RDDs and jobs like Spark does:
 * {@code "map at WordCount.java:31"}. The frame just before the first frame outside rdd-core's own
 * classes names the operation.
 */
public final class CallSite {

    private static final CodeSource OWN = CallSite.class.getProtectionDomain().getCodeSource();
    private static final String JSHELL_PACKAGE = "REPL.";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private CallSite() {
    }

    /** Returns {@code "<operation> at <File>:<line>"} for the current user call. */
    public static String capture() {
        return WALKER.walk(frames -> {
            StackWalker.StackFrame[] last = new StackWalker.StackFrame[1];
            StackWalker.StackFrame user = frames
                    .filter(f -> {
                        if (isOwn(f.getDeclaringClass())) {
                            if (!f.getMethodName().startsWith("<") && !f.getMethodName().startsWith("lambda$")) {
                                last[0] = f;
                            }
                            return false;
                        }
                        return true;
                    })
                    .findFirst().orElse(null);
            String op = last[0] == null ? "unknown" : last[0].getMethodName();
            if (user == null) {
                return op;
            }
            if (user.getDeclaringClass().getName().startsWith(JSHELL_PACKAGE)) {
                return op + " at <shell>"; // line numbers of JShell's generated wrappers mean nothing to users
            }
            return op + " at " + user.getFileName() + ":" + user.getLineNumber();
        });
    }

    private static boolean isOwn(Class<?> type) {
        return Objects.equals(type.getProtectionDomain().getCodeSource(), OWN)
                || type.getName().startsWith("java.") || type.getName().startsWith("jdk.");
    }
}
