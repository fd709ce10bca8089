package dev.kindling.shell.streaming;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a streaming job ships with {@code -file}/{@code -files}, as the tasks receive them: each
 * file's name in the task's working directory, its permissions and its bytes, read once on the
 * driver. The job broadcasts them, so each executor fetches them once, on whatever host it runs,
 * and {@link #materialize} writes them once per job into the executor's own scratch directory,
 * where every attempt's working directory links to them.
 *
 * <p>Rules:
 * <ol>
 *   <li>A file keeps the permissions of the file given (read on the driver); a file that a command
 *       runs as its program is made executable by everyone, as Hadoop does.</li>
 *   <li>Materializing is safe from any number of tasks at once and from several executors sharing a
 *       file system: each writes a copy of its own, and the first to rename it into place wins.
 *       A directory in place holds every file, complete and closed, so no task runs a program
 *       that another task still has open for writing.</li>
 *   <li>Nothing is left behind: the copies live in the executor's scratch directory, which is
 *       deleted when the executor (in local mode, the context) stops.</li>
 * </ol>
 */
final class ShippedFiles implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String READABLE = "rw-r--r--";

    /** One shipped file: its name in the working directory, its permissions ({@code rwxr-xr-x}), its content. */
    private record Entry(String name, String permissions, byte[] content) implements Serializable {
    }

    private final List<Entry> files;

    private ShippedFiles(List<Entry> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Reads the files named by {@code specs}: absolute paths, each with an optional {@code #name}
     * that sets its name in the working directory (else its own file name). A later file of the same
     * name replaces an earlier one, as copying them one after another did.
     *
     * @throws IOException if one cannot be read
     */
    static ShippedFiles read(List<Path> specs) throws IOException {
        List<Entry> files = new ArrayList<>();
        for (Path spec : specs) {
            String s = spec.toString();
            int hash = s.indexOf('#');
            Path source = Path.of(hash >= 0 ? s.substring(0, hash) : s);
            String name = hash >= 0 ? s.substring(hash + 1) : source.getFileName().toString();
            files.removeIf(f -> f.name().equals(name));
            files.add(new Entry(name, permissions(source), Files.readAllBytes(source)));
        }
        return new ShippedFiles(files);
    }

    private static String permissions(Path source) throws IOException {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(source));
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(source) ? "rwxr-xr-x" : READABLE;
        }
    }

    /** The files' names in a task's working directory, in the order given. */
    List<String> names() {
        return files.stream().map(Entry::name).toList();
    }

    /** Whether no file is shipped. */
    boolean isEmpty() {
        return files.isEmpty();
    }

    /** These files, with the ones named in {@code programs} executable by everyone. */
    ShippedFiles withExecutable(Collection<String> programs) {
        List<Entry> out = new ArrayList<>();
        for (Entry f : files) {
            if (programs.contains(f.name())) {
                char[] p = f.permissions().toCharArray();
                p[2] = 'x';
                p[5] = 'x';
                p[8] = 'x';
                out.add(new Entry(f.name(), new String(p), f.content()));
            } else {
                out.add(f);
            }
        }
        return new ShippedFiles(out);
    }

    /**
     * The directory {@code jobDir/files} holding every file, written now unless it is there already
     * (made by another task of this executor).
     *
     * @param jobDir   the job's directory in the executor's scratch directory
     * @param attempt  a name unique to the calling attempt, for its private copy
     * @throws UncheckedIOException if the files cannot be written
     */
    Path materialize(Path jobDir, String attempt) {
        Path target = jobDir.resolve("files");
        if (Files.isDirectory(target)) {
            return target;
        }
        Path copy = jobDir.resolve("files-" + attempt);
        try {
            Files.createDirectories(copy);
            for (Entry f : files) {
                Path file = copy.resolve(f.name());
                Files.write(file, f.content());
                setPermissions(file, f.permissions());
            }
            try {
                Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                deleteTree(copy); // another task of this executor was first
            }
        } catch (IOException e) {
            deleteTree(copy);
            throw new UncheckedIOException("Cannot write the files shipped with -file/-files (" + String.join(", ", names())
                    + ") into " + target + " on this executor: " + e.getMessage()
                    + "; check the free space and permissions of the executor's scratch directory (kindling.local.dir)", e);
        }
        return target;
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        Set<PosixFilePermission> set = PosixFilePermissions.fromString(permissions);
        try {
            Files.setPosixFilePermissions(file, set);
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(set.contains(PosixFilePermission.OWNER_EXECUTE), false);
        }
    }

    /** Deletes {@code dir} and everything in it, as far as it can (the scratch directory goes at the end anyway). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort; the executor's scratch directory is removed when it stops.
        }
    }
}
