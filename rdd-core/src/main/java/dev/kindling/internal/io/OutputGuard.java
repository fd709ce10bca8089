package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules a save checks before it may replace an existing output directory, all before anything
 * is deleted:
 * <ol>
 *   <li>The output path is not empty.</li>
 *   <li>Never, even when forced: the filesystem root, the user's home, the current directory or any
 *       parent of it, and any input of the job's lineage ({@link FileInput}) or a parent of one.
 *       Paths are compared after resolving symbolic links.</li>
 *   <li>Only a previous output (a directory with {@code _SUCCESS}, or empty apart from a stale
 *       {@code _temporary} of a writer that is gone), unless
 *       {@value KindlingConf#OUTPUT_OVERWRITE_FORCE} is true.</li>
 * </ol>
 */
public final class OutputGuard {

    private OutputGuard() {
    }

    /**
     * The absolute, normalized output path named by {@code path} (a {@code file:} prefix is allowed).
     *
     * @throws IllegalArgumentException if {@code path} is null or blank, or names another file system
     *         ({@link PathSchemes})
     */
    public static Path outputPath(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("Output path is empty (\"" + (path == null ? "null" : path)
                    + "\"); name the directory to write, e.g. saveAsTextFile(\"out/result\")");
        }
        return Path.of(PathSchemes.localPath(path.strip(), "Output path")).toAbsolutePath().normalize();
    }

    /** The files and directories read by {@code rdd}'s lineage, as absolute paths. */
    public static List<Path> inputsOf(Lineage rdd) {
        Set<Path> inputs = new LinkedHashSet<>();
        Set<Lineage> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Deque<Lineage> todo = new ArrayDeque<>();
        todo.push(rdd);
        while (!todo.isEmpty()) {
            Lineage node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof FileInput input) {
                for (Path p : input.inputPaths()) {
                    inputs.add(p.toAbsolutePath().normalize());
                }
            }
            for (Dependency dep : node.dependencies()) {
                todo.push(dep.parent());
            }
        }
        return new ArrayList<>(inputs);
    }

    /**
     * Checks that the existing {@code out} may be replaced by a job reading {@code inputs}.
     *
     * @throws IllegalArgumentException naming the path, the reason and what to do, if it may not
     */
    public static void checkOverwrite(Path out, Collection<Path> inputs, boolean force) {
        Path real = real(out);
        String refuse = "Refusing to overwrite " + out + (real.equals(out) ? "" : " (" + real + ")") + ": ";
        if (real.getParent() == null) {
            throw new IllegalArgumentException(refuse + "it is the filesystem root; choose an output directory of its own");
        }
        Path home = real(Path.of(System.getProperty("user.home")));
        if (real.equals(home)) {
            throw new IllegalArgumentException(refuse + "it is your home directory; choose an output directory of its own");
        }
        Path cwd = real(Path.of("").toAbsolutePath());
        if (cwd.startsWith(real)) {
            throw new IllegalArgumentException(refuse + (cwd.equals(real) ? "it is the current directory"
                    : "it is a parent of the current directory " + cwd) + "; choose an output directory of its own");
        }
        for (Path input : inputs) {
            Path in = real(input);
            if (in.startsWith(real)) {
                throw new IllegalArgumentException(refuse + (in.equals(real) ? "it is an input of this job"
                        : "it contains " + input + ", an input of this job")
                        + ", which would be deleted before it is read; write to another path");
            }
        }
        if (!force && !isPreviousOutput(out)) {
            throw new IllegalArgumentException(refuse + "it is not a previous output (" + contents(out)
                    + "); check the path, delete it yourself, or set " + KindlingConf.OUTPUT_OVERWRITE_FORCE + "=true");
        }
    }

    /** Whether {@code out} is a directory with {@code _SUCCESS}, or empty apart from a stale claim. */
    static boolean isPreviousOutput(Path out) {
        if (!Files.isDirectory(out)) {
            return false;
        }
        if (Files.exists(out.resolve("_SUCCESS"))) {
            return true;
        }
        try (Stream<Path> list = Files.list(out)) {
            // A hidden .kindling-claim-* left by a writer killed while claiming holds nothing either.
            return list.allMatch(p -> p.getFileName().toString().startsWith(".kindling-")
                    || p.getFileName().toString().equals(OutputClaim.TEMPORARY) && OutputClaim.isStale(p));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list output directory " + out + ": " + e.getMessage(), e);
        }
    }

    private static String contents(Path out) {
        if (!Files.isDirectory(out)) {
            return "it is a file, not a directory";
        }
        try (Stream<Path> list = Files.list(out)) {
            List<String> names = list.map(p -> p.getFileName().toString()).sorted().limit(4).toList();
            return "no _SUCCESS marker; it holds " + String.join(", ", names) + (names.size() == 4 ? ", ..." : "");
        } catch (IOException e) {
            return "cannot list it: " + e.getMessage();
        }
    }

    /** The path with symbolic links resolved as far as it exists. */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Deque<Path> rest = new ArrayDeque<>();
        Set<Path> guard = new HashSet<>();
        while (existing != null && !Files.exists(existing) && guard.add(existing)) {
            rest.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path r = existing.toRealPath();
            while (!rest.isEmpty()) {
                r = r.resolve(rest.pop());
            }
            return r;
        } catch (IOException e) {
            return abs;
        }
    }
}
