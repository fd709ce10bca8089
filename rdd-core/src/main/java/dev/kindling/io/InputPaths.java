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
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("file://")) {
                p = p.substring("file://".length());
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

    private static void addPath(Path path, List<Path> files) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                children.filter(c -> !hidden(c) && Files.isRegularFile(c)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list input directory " + path.toAbsolutePath(), e);
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
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute.toString().replace("\\", "\\\\"));
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
