package dev.kindling.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@link OutputFs} on the local disk: each operation is the matching {@link Files} call. */
final class LocalOutputFs implements OutputFs {

    @Override
    public boolean exists(Path p) {
        return Files.exists(p);
    }

    @Override
    public boolean isDirectory(Path p) {
        return Files.isDirectory(p);
    }

    @Override
    public boolean isRegularFile(Path p) {
        return Files.isRegularFile(p);
    }

    @Override
    public void createDirectory(Path p) throws IOException {
        Files.createDirectory(p);
    }

    @Override
    public void createDirectories(Path p) throws IOException {
        Files.createDirectories(p);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public OutputStream create(Path p) throws IOException {
        return Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public InputStream open(Path p) throws IOException {
        return Files.newInputStream(p);
    }

    @Override
    public long size(Path p) throws IOException {
        return Files.size(p);
    }

    @Override
    public void deleteIfExists(Path p) throws IOException {
        Files.deleteIfExists(p);
    }

    @Override
    public void deleteQuietly(Path p) {
        FileTrees.deleteQuietly(p);
    }

    @Override
    public String show(Path p) {
        return p.toString();
    }

    @Override
    public Path real(Path p) {
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

    @Override
    public Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    @Override
    public Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }

    @Override
    public String deleteCommand() {
        return "rm -r";
    }

    @Override
    public String toString() {
        return "local disk";
    }
}
