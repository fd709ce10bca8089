package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands an input specification into files, with Hadoop's rules: a comma-separated list of paths,
 * each a file, a directory (its files, one level, in name order) or a glob; names starting with
 * {@code _} or {@code .} inside a directory or glob are skipped. Errors name the path.
 *
 * <p>A directory that holds {@code part-*} files but no {@code _SUCCESS} marker is an output whose
 * writer failed, was killed or is still writing: reading it logs a warning naming it, or fails when
 * {@value KindlingConf#INPUT_REQUIRE_SUCCESS_MARKER} is true. Directories without part files are
 * read silently.
 */
public final class InputPaths {

    private static final Logger LOG = LoggerFactory.getLogger(InputPaths.class);

    private InputPaths() {
    }

    /**
     * Returns the files named by {@code spec}; throws if a path names another file system than the
     * local disk ({@link PathSchemes}), is missing, a glob matches nothing or a file is unreadable.
     */
    public static List<Path> expand(String spec) {
        return expand(spec, false);
    }

    /**
     * Like {@link #expand(String)}; with {@code requireSuccessMarker}, an output directory without
     * {@code _SUCCESS} is an error instead of a warning.
     */
    public static List<Path> expand(String spec, boolean requireSuccessMarker) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("Input path is empty");
        }
        // Every path's scheme first: another file system is the error to report, not a missing local file.
        List<String> parts = checkLocal(spec);
        List<Path> files = new ArrayList<>();
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (isGlob(p)) {
                List<Path> matched = glob(p);
                if (matched.isEmpty()) {
                    throw new IllegalArgumentException("Input Pattern " + p + " matches 0 files");
                }
                for (Path m : matched) {
                    addPath(m, files, requireSuccessMarker);
                }
            } else {
                Path path = Path.of(p);
                if (!Files.exists(path)) {
                    throw new IllegalArgumentException("Input path does not exist: " + path.toAbsolutePath());
                }
                addPath(path, files, requireSuccessMarker);
            }
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("Input file is not readable: " + f.toAbsolutePath()
                        + " (check its permissions)");
            }
        }
        return files;
    }

    /**
     * The local paths of the comma-separated {@code spec}, {@code file:} prefixes removed, without
     * touching the disk.
     *
     * @throws IllegalArgumentException if one names another file system ({@link PathSchemes})
     */
    public static List<String> checkLocal(String spec) {
        List<String> parts = new ArrayList<>();
        for (String part : splitCommas(spec)) {
            parts.add(stripScheme(part.trim()));
        }
        return parts;
    }

    /** Splits on commas that are not inside a {@code {a,b}} glob alternative, as Hadoop does. */
    public static List<String> splitCommas(String spec) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(spec.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(spec.substring(from));
        return parts;
    }

    /** The paths {@code spec} names without a glob, absolute: what a save must not overwrite besides the files. */
    public static List<Path> named(String spec) {
        List<Path> named = new ArrayList<>();
        for (String part : splitCommas(spec == null ? "" : spec)) {
            String p = stripScheme(part.trim());
            if (!p.isEmpty() && !isGlob(p)) {
                named.add(Path.of(p).toAbsolutePath().normalize());
            }
        }
        return named;
    }

    /** The local path {@code p} names; a scheme other than {@code file:} fails (see {@link PathSchemes}). */
    private static String stripScheme(String p) {
        return PathSchemes.localPath(p, "Input path");
    }

    private static void addPath(Path path, List<Path> files, boolean requireSuccessMarker) {
        if (Files.isDirectory(path)) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.filter(c -> !hidden(c)).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list input directory " + path.toAbsolutePath()
                        + ": " + e.getMessage(), e);
            }
            checkSuccessMarker(path, children, requireSuccessMarker);
            for (Path c : children) {
                if (Files.isDirectory(c)) {
                    throw new IllegalArgumentException("Input directory " + path.toAbsolutePath()
                            + " contains the subdirectory " + c.getFileName() + "; directories are read one level"
                            + " deep: name the files with a glob instead (e.g. " + path + "/*/*)");
                }
                files.add(c);
            }
        } else {
            files.add(path);
        }
    }

    /** Warns about (or rejects) an output directory that has part files but no {@code _SUCCESS}. */
    private static void checkSuccessMarker(Path dir, List<Path> children, boolean required) {
        boolean hasParts = children.stream().anyMatch(c -> c.getFileName().toString().startsWith("part-"));
        if (!hasParts || Files.exists(dir.resolve("_SUCCESS"))) {
            return;
        }
        String problem = "Input directory " + dir.toAbsolutePath() + " holds part files but no _SUCCESS marker: the job"
                + " that wrote it did not finish (it failed, was killed, or is still writing), so it may be incomplete";
        if (required) {
            throw new IllegalArgumentException(problem + "; rerun the job that writes it, or set "
                    + KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER + "=false to read it anyway");
        }
        LOG.warn("{}; set {}=true to make this an error", problem, KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER);
    }

    static boolean hidden(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith("_") || name.startsWith(".");
    }

    private static boolean isGlob(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0 || p.indexOf('{') >= 0;
    }

    private static List<Path> glob(String pattern) {
        Path absolute = Path.of(pattern).toAbsolutePath().normalize();
        Path base = absolute.getRoot();
        int firstGlob = -1;
        for (int i = 0; i < absolute.getNameCount(); i++) {
            if (isGlob(absolute.getName(i).toString())) {
                firstGlob = i;
                break;
            }
            base = base.resolve(absolute.getName(i));
        }
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        int depth = absolute.getNameCount() - firstGlob;
        // Hadoop negates a character class with [^...]; Java's glob syntax uses [!...].
        String javaGlob = absolute.toString().replace("\\", "\\\\").replace("[^", "[!");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + javaGlob);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, depth)) {
            walk.filter(p -> p.getNameCount() == absolute.getNameCount() && matcher.matches(p) && !hidden(p))
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot expand input pattern " + pattern, e);
        }
        return out;
    }
}
