package dev.kindling.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations that a save ({@link SaveJob}, {@link OutputClaim}, {@link OutputGuard}) and a
 * reliable checkpoint need, so that one commit protocol serves the local disk ({@link #LOCAL}) and
 * Hadoop file systems ({@code dev.kindling.internal.hadoop.HadoopOutputFs}). Paths are absolute
 * {@link Path}s of the default (Unix-style) file system; an implementation maps them onto its own
 * file system (for Hadoop: the path part of an {@code hdfs://authority/...} URI). Rules every
 * implementation keeps:
 * <ol>
 *   <li>{@link #createDirectory} fails with {@link java.nio.file.FileAlreadyExistsException} when the
 *       directory exists; {@link #create} fails when the file exists.</li>
 *   <li>{@link #rename} is atomic and never replaces or moves into an existing directory that is not
 *       empty: it fails instead (how two writers find out that one of them came first).</li>
 *   <li>{@link #deleteQuietly} never throws; everything else reports failures as {@link IOException}.</li>
 * </ol>
 */
public interface OutputFs {

    /** The local disk, through {@code java.nio.file}. */
    OutputFs LOCAL = new LocalOutputFs();

    /** Whether {@code p} exists (a file or directory). */
    boolean exists(Path p);

    /** Whether {@code p} is a directory. */
    boolean isDirectory(Path p);

    /** Whether {@code p} is a plain file. */
    boolean isRegularFile(Path p);

    /** Creates the directory {@code p}, whose parent exists; fails if it exists. */
    void createDirectory(Path p) throws IOException;

    /** Creates {@code p} and its missing parents; nothing if it exists as a directory. */
    void createDirectories(Path p) throws IOException;

    /** The entries of the directory {@code dir}, in name order. */
    List<Path> list(Path dir) throws IOException;

    /** Renames {@code from} to {@code to} atomically; fails if {@code to} exists and is not an empty directory. */
    void rename(Path from, Path to) throws IOException;

    /**
     * Creates the new file {@code p} for writing; fails if it exists or its parent directory does not
     * (it never creates parents, so a late request cannot bring back a directory a job deleted).
     */
    OutputStream create(Path p) throws IOException;

    /** Opens the file {@code p} for reading. */
    InputStream open(Path p) throws IOException;

    /** The size of the file {@code p} in bytes. */
    long size(Path p) throws IOException;

    /** Deletes the file or empty directory {@code p} if it exists; fails for a directory that is not empty. */
    void deleteIfExists(Path p) throws IOException;

    /** Deletes {@code p} and everything under it as far as it can; never throws. */
    void deleteQuietly(Path p);

    /** {@code p} as the user should see it in messages (a URI for another file system). */
    String show(Path p);

    /** {@code p} with symbolic links resolved as far as it exists, for comparing paths. */
    Path real(Path p);

    /** The user's home directory on this file system, which an overwrite never deletes. */
    Path home();

    /** The working directory on this file system (and its parents), which an overwrite never deletes. */
    Path workingDirectory();

    /** The command that deletes a directory tree here, for error messages ({@code rm -r} or {@code hdfs dfs -rm -r}). */
    String deleteCommand();
}
