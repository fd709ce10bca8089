package dev.kindling.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands an input specification into files, with Hadoop's rules: a comma-separated list of paths,
 * each a file, a directory (its files, one level, in name order) or a glob; names starting with
 * {@code _} or {@code .} inside a directory or glob are skipped. Errors name the path.
 */
public final class InputPaths {

    private InputPaths() {
    }

    /** Returns the files named by {@code spec}; throws if a path is missing, a glob matches nothing or a file is unreadable. */
    public static List<Path> expand(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("Input path is empty");
        }
        List<Path> files = new ArrayList<>();
        for (String part : splitCommas(spec)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("file://")) {
                p = p.substring("file://".length());
            } else if (p.startsWith("file:")) {
                p = p.substring("file:".length());
            }
            if (isGlob(p)) {
                List<Path> matched = glob(p);
                if (matched.isEmpty()) {
                    throw new IllegalArgumentException("Input Pattern " + p + " matches 0 files");
                }
                for (Path m : matched) {
                    addPath(m, files);
                }
            } else {
                Path path = Path.of(p);
                if (!Files.exists(path)) {
                    throw new IllegalArgumentException("Input path does not exist: " + path.toAbsolutePath());
                }
                addPath(path, files);
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

    /** Splits on commas that are not inside a {@code {a,b}} glob alternative, as Hadoop does. */
    static List<String> splitCommas(String spec) {
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

    private static void addPath(Path path, List<Path> files) {
        if (Files.isDirectory(path)) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.filter(c -> !hidden(c)).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list input directory " + path.toAbsolutePath()
                        + ": " + e.getMessage(), e);
            }
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
