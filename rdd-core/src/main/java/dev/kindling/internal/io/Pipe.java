package dev.kindling.internal.io;

import dev.kindling.StreamingCounters;
import dev.kindling.RDD;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.Iterators;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the RDD behind {@code RDD.pipe()}: each partition attempt runs the command once (even for
 * an empty partition), with the elements on its stdin, and its stdout lines are the new elements.
 * See {@link SubprocessPipe} for threads, errors, the reporter protocol and how the command's
 * process tree is killed; {@value #TIMEOUT_MS} limits how long a command may be idle.
 */
public final class Pipe {

    /**
     * Milliseconds a pipe's command may go without reading input, writing output or writing to
     * stderr before it is killed with its child processes and the attempt fails (0, the default: no limit).
     */
    public static final String TIMEOUT_MS = "kindling.pipe.timeoutMs";

    private Pipe() {
    }

    /** Splits a command string on whitespace, as Spark does: no shell, no quoting. */
    public static List<String> splitOnWhitespace(String command) {
        List<String> words = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
        words.removeIf(String::isEmpty);
        return words;
    }

    /** The RDD of {@code parent} piped through {@code command}. */
    public static <T> RDD<String> create(RDD<T> parent, List<String> command, Map<String, String> env,
                                         StreamingCounters counters) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("pipe() needs a command to run (got " + command + ")");
        }
        List<String> cmd = List.copyOf(command);
        Map<String, String> environment = new TreeMap<>(env == null ? Map.of() : env);
        if (counters != null) {
            counters.attach(parent.context());
        }
        SubprocessPipe.Timeout timeout = new SubprocessPipe.Timeout(parent.context().getConf().getLong(TIMEOUT_MS, 0),
                TIMEOUT_MS);
        return new MapPartitionsRDD<T, String>(parent, (ctx, p, it) -> Iterators.map(
                SubprocessPipe.run(cmd, environment, null, SubprocessPipe.linesOf(it), ctx, counters, true, timeout),
                bytes -> new String(bytes, StandardCharsets.UTF_8)), false);
    }
}
