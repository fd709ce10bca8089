package dev.kindling.shell;

import dev.kindling.scheduler.JobFailedException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * How the command line reports a failure: the root cause first, on the line a person reads, then
 * where it happened, one wrapper per line from the innermost out, each without the text it repeats
 * from its cause:
 *
 * <pre>
 * kindling run: NumberFormatException: For input string: "x"
 *   in: Job 0 (saveAsTextFile at WordCount.java:70) aborted: stage 1 (map) failed because a task kept
 *       failing: partition 1 failed 4 time(s) (kindling.task.maxFailures=4)
 * </pre>
 */
final class FailureReport {

    private static final String[] JOINERS = {"; last failure: ", ": ", " threw ", " "};

    private FailureReport() {
    }

    /** Prints the report of {@code e} for command {@code command} on {@code err}. */
    static void print(PrintWriter err, String command, Throwable e) {
        for (String line : lines(e)) {
            err.println(line.startsWith("  ") ? line : "kindling " + command + ": " + line);
        }
    }

    /** The report's lines: the root cause, then one {@code "  in: ..."} line per wrapper that adds something. */
    static List<String> lines(Throwable e) {
        List<Throwable> chain = chain(e);
        Throwable root = chain.get(chain.size() - 1);
        List<String> lines = new ArrayList<>();
        lines.add(describe(root));
        for (int i = chain.size() - 2; i >= 0; i--) {
            String own = ownMessage(chain.get(i), chain.get(i + 1));
            if (!own.isEmpty() && !lines.get(0).contains(own)) {
                lines.add("  in: " + own);
            }
        }
        return lines;
    }

    /** The root cause as a person reads it: its message, prefixed by its simple class name unless the message says it all. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        boolean selfExplaining = t instanceof IllegalArgumentException && !(t instanceof NumberFormatException)
                || t instanceof IllegalStateException || t instanceof JobFailedException
                || t instanceof UnsupportedOperationException;
        return selfExplaining ? message : t.getClass().getSimpleName() + ": " + message;
    }

    /** What {@code wrapper} says beyond its cause: its message without the cause's text at the end. */
    private static String ownMessage(Throwable wrapper, Throwable cause) {
        String message = wrapper.getMessage();
        if (message == null) {
            return "";
        }
        message = message.strip();
        for (String repeated : new String[] {cause.toString(), String.valueOf(cause.getMessage())}) {
            if (message.equals(repeated)) {
                return "";
            }
            if (message.endsWith(repeated)) {
                String rest = message.substring(0, message.length() - repeated.length());
                for (String joiner : JOINERS) {
                    if (rest.endsWith(joiner)) {
                        return rest.substring(0, rest.length() - joiner.length()).strip();
                    }
                }
            }
        }
        return message;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
