package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * On a Hadoop file system the same rules hold with its home and working directory, and the
 * inputs of the lineage that are on that file system.
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

    /** The files and directories read by {@code rdd}'s lineage from the local disk, as absolute paths. */
    public static List<Path> inputsOf(Lineage rdd) {
        return inputsOf(rdd, OutputFs.LOCAL);
    }

    /** The files and directories read by {@code rdd}'s lineage from the file system {@code fs}, as absolute paths. */
    public static List<Path> inputsOf(Lineage rdd, OutputFs fs) {
        Set<Path> inputs = new LinkedHashSet<>();
        Set<Lineage> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Deque<Lineage> todo = new ArrayDeque<>();
        todo.push(rdd);
        while (!todo.isEmpty()) {
            Lineage node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof FileInput input && fs.equals(input.fileSystem())) {
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
        checkOverwrite(OutputFs.LOCAL, out, inputs, force);
    }

    /**
     * Checks that the existing {@code out} on {@code fs} may be replaced by a job reading {@code inputs}
     * (paths on {@code fs}).
     *
     * @throws IllegalArgumentException naming the path, the reason and what to do, if it may not
     */
    public static void checkOverwrite(OutputFs fs, Path out, Collection<Path> inputs, boolean force) {
        Path real = fs.real(out);
        String refuse = "Refusing to overwrite " + fs.show(out) + (real.equals(out) ? "" : " (" + fs.show(real) + ")")
                + ": ";
        if (real.getParent() == null) {
            throw new IllegalArgumentException(refuse + "it is the filesystem root; choose an output directory of its own");
        }
        Path home = fs.real(fs.home());
        if (real.equals(home)) {
            throw new IllegalArgumentException(refuse + "it is your home directory; choose an output directory of its own");
        }
        Path cwd = fs.real(fs.workingDirectory());
        if (cwd.startsWith(real)) {
            throw new IllegalArgumentException(refuse + (cwd.equals(real) ? "it is the current directory"
                    : "it is a parent of the current directory " + cwd) + "; choose an output directory of its own");
        }
        for (Path input : inputs) {
            Path in = fs.real(input);
            if (in.startsWith(real)) {
                throw new IllegalArgumentException(refuse + (in.equals(real) ? "it is an input of this job"
                        : "it contains " + input + ", an input of this job")
                        + ", which would be deleted before it is read; write to another path");
            }
        }
        if (!force && !isPreviousOutput(fs, out)) {
            throw new IllegalArgumentException(refuse + "it is not a previous output (" + contents(fs, out)
                    + "); check the path, delete it yourself, or set " + KindlingConf.OUTPUT_OVERWRITE_FORCE + "=true");
        }
    }

    /** Whether {@code out} is a directory with {@code _SUCCESS}, or empty apart from a stale claim. */
    static boolean isPreviousOutput(OutputFs fs, Path out) {
        if (!fs.isDirectory(out)) {
            return false;
        }
        if (fs.exists(out.resolve("_SUCCESS"))) {
            return true;
        }
        try {
            // A hidden .kindling-claim-* left by a writer killed while claiming holds nothing either.
            return fs.list(out).stream().allMatch(p -> p.getFileName().toString().startsWith(".kindling-")
                    || p.getFileName().toString().equals(OutputClaim.TEMPORARY) && OutputClaim.isStale(fs, p));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list output directory " + fs.show(out) + ": " + e.getMessage(), e);
        }
    }

    private static String contents(OutputFs fs, Path out) {
        if (!fs.isDirectory(out)) {
            return "it is a file, not a directory";
        }
        try {
            List<String> names = fs.list(out).stream().map(p -> p.getFileName().toString()).limit(4).toList();
            return "no _SUCCESS marker; it holds " + String.join(", ", names) + (names.size() == 4 ? ", ..." : "");
        } catch (IOException e) {
            return "cannot list it: " + e.getMessage();
        }
    }
}
