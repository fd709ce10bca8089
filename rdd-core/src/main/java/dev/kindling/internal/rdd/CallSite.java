package dev.kindling.internal.rdd;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
    /** Whether a class is rdd-core's own or the JDK's: frames of those are skipped. */
    private static final ClassValue<Boolean> OWN_CLASS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isOwn(type);
        }
    };

    private CallSite() {
    }

    /**
     * Returns {@code "<operation> at <File>:<line>"} for the current user call. Every RDD and every
     * job asks, so this is on the path of each job: a plain loop over the frames (no stream
     * pipeline, which costs more than the walk while the JIT has not compiled it yet), whether a
     * class is Kindling's own is remembered per class, and method names (each one a call into the
     * VM) are read only from the outermost own frames, where the operation is found.
     */
    public static String capture() {
        return WALKER.walk(frames -> {
            List<StackWalker.StackFrame> own = new ArrayList<>();
            StackWalker.StackFrame user = null;
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                if (!OWN_CLASS.get(f.getDeclaringClass())) {
                    user = f;
                    break;
                }
                own.add(f);
            }
            String op = "unknown";
            for (int i = own.size() - 1; i >= 0; i--) {
                String method = own.get(i).getMethodName();
                if (!method.startsWith("<") && !method.startsWith("lambda$")) {
                    op = method; // the outermost own method that is not a constructor or a lambda
                    break;
                }
            }
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
