package dev.kindling.shell;

import dev.kindling.KindlingContext;
import dev.kindling.StreamingCounters;
import dev.kindling.SubprocessFailedException;
import dev.kindling.SubprocessTimeoutException;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.RangePartitioner;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import dev.kindling.storage.DiskFullException;
import dev.kindling.storage.MemoryLimitExceededException;
import dev.kindling.storage.KryoRegistrator;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.prefs.Preferences;
import jdk.jshell.tool.JavaShellToolBuilder;

/**
 * Runs the interactive Kindling shell: the JDK's JShell tool with Kindling's engine
 * ({@link KindlingExecutionControlProvider}), a startup snippet that imports Kindling's API and
 * binds the context to {@code kc}, and a banner. Everything JShell offers works: multi-line
 * snippets, {@code /vars}, {@code /methods}, tab completion, {@code /exit}; input may be a terminal,
 * a pipe, or script files given as arguments (run in order before reading input).
 */
public final class KindlingShell {

    /** Packages every session imports whole. */
    static final List<String> PACKAGES = List.of("dev.kindling.*", "dev.kindling.function.*", "java.util.*",
            "java.util.stream.*");

    /**
     * Public API types outside {@code dev.kindling} itself, imported one by one: their packages also
     * hold internals that would clutter tab completion. Named through their classes, so that moving
     * one is a compile error here rather than a failing import in every session.
     */
    static final List<Class<?>> API_TYPES = List.of(StorageLevel.class, Partitioner.class, HashPartitioner.class,
            RangePartitioner.class, TaskContext.class, SchedulerListener.class, SchedulerEvent.class,
            JobCancelledException.class, JobFailedException.class, MemoryLimitExceededException.class,
            DiskFullException.class, KryoRegistrator.class, StreamingCounters.class, SubprocessFailedException.class,
            SubprocessTimeoutException.class);

    /** Everything every session imports: {@link #PACKAGES}, then each of {@link #API_TYPES}. */
    static final List<String> IMPORTS = imports();

    private final Map<String, String> settings;
    private final List<String> jshellOptions;
    private final List<Path> scripts;
    private InputStream in;
    private PrintStream out;
    private PrintStream err;
    private Map<String, String> persistence;
    private Path startupFile;

    /**
     * A shell whose context gets {@code settings} ({@code kindling.*} keys), passing
     * {@code jshellOptions} to JShell (e.g. {@code --feedback concise}) and running {@code scripts}
     * first.
     */
    public KindlingShell(Map<String, String> settings, List<String> jshellOptions, List<Path> scripts) {
        this.settings = Map.copyOf(settings);
        this.jshellOptions = List.copyOf(jshellOptions);
        this.scripts = List.copyOf(scripts);
    }

    /**
     * Reads commands from {@code in} and writes JShell's output to {@code out} and {@code err}
     * instead of the standard streams (snippets' own {@code System.out} is not redirected), and
     * keeps history and settings in {@code persistence} instead of user preferences; for tests.
     */
    public KindlingShell withStreams(InputStream in, PrintStream out, PrintStream err, Map<String, String> persistence) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.persistence = persistence;
        return this;
    }

    /** The startup snippet file of the last {@link #run()} (deleted when it returns); for tests. */
    Path startupFile() {
        return startupFile;
    }

    /**
     * Runs the session until {@code /exit} or the end of input, then closes the context (its threads
     * and scratch directory are gone when this returns).
     *
     * @return the exit status: 0, or the value given to {@code /exit}
     */
    public int run() throws Exception {
        Path startup = Files.createTempFile("kindling-shell-startup-", ".jsh");
        startupFile = startup;
        try {
            Files.writeString(startup, startupSnippet(), StandardCharsets.UTF_8);
            ShellSession.configure(settings);
            ShellSession.announceOn(err != null ? err : System.err);
            JavaShellToolBuilder builder = JavaShellToolBuilder.builder();
            if (in != null) {
                builder.in(in, null);
            }
            if (out != null) {
                builder.out(out);
            }
            if (err != null) {
                builder.err(err);
            }
            if (persistence != null) {
                builder.persistence(persistence);
            } else if (System.console() != null) {
                // Interactive: keep history and /set choices across sessions, apart from plain jshell's.
                builder.persistence(Preferences.userRoot().node("dev/kindling/shell"));
            } else {
                builder.persistence(new HashMap<>()); // a piped script leaves no history behind
            }
            return builder.start(arguments(startup));
        } finally {
            ShellSession.closeCurrent();
            ShellSession.announceOn(null);
            Files.deleteIfExists(startup);
        }
    }

    private String[] arguments(Path startup) {
        List<String> args = new ArrayList<>();
        args.add("--execution");
        args.add(KindlingExecutionControlProvider.NAME);
        args.add("--startup");
        args.add(startup.toString());
        args.addAll(jshellOptions);
        for (Path script : scripts) {
            if (!Files.isReadable(script)) {
                throw new IllegalArgumentException("Cannot read the script " + script.toAbsolutePath()
                        + "; check the path (relative paths are resolved against " + Path.of("").toAbsolutePath() + ")");
            }
            args.add(script.toString());
        }
        return args.toArray(new String[0]);
    }

    /** The simple names of {@link #API_TYPES}, in indented lines of at most 100 characters. */
    private static String importedTypes() {
        StringBuilder text = new StringBuilder();
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < API_TYPES.size(); i++) {
            String name = API_TYPES.get(i).getSimpleName() + (i < API_TYPES.size() - 1 ? "," : "");
            if (line.length() > 2 && line.length() + 1 + name.length() > 100) {
                text.append(line).append('\n');
                line = new StringBuilder("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(name);
        }
        return text.append(line).toString();
    }

    private static List<String> imports() {
        List<String> imports = new ArrayList<>(PACKAGES);
        API_TYPES.forEach(type -> imports.add(type.getName()));
        return List.copyOf(imports);
    }

    /** The snippet every session (and every {@code /reset}) starts with. */
    static String startupSnippet() {
        StringBuilder s = new StringBuilder();
        for (String i : IMPORTS) {
            s.append("import ").append(i).append(";\n");
        }
        s.append("KindlingContext kc = dev.kindling.shell.ShellSession.context();\n");
        return s.toString();
    }

    /** The banner shown when the session's first context opens. */
    static String banner(KindlingContext kc) {
        return "Kindling " + KindlingCli.version() + " shell (JShell on Java " + Runtime.version().feature() + ")\n"
                + "Context 'kc': " + kc.getConf().get(dev.kindling.KindlingConf.MASTER, "local[*]") + ", "
                + kc.executorThreads() + " executor thread(s), default parallelism " + kc.defaultParallelism() + "\n"
                + "Imported: " + String.join(", ", PACKAGES) + ", and\n" + importedTypes() + "\n"
                + "Type kc.<Tab> to explore, /help for shell commands, /exit to quit.";
    }
}
