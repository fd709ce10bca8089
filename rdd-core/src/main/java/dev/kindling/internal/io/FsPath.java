package dev.kindling.internal.io;

import dev.kindling.internal.hadoop.HadoopFiles;
import java.nio.file.Path;

/**
 * A path on a file system: the local disk, or another file system reached through Hadoop's
 * FileSystem API when the user named one ({@code hdfs://nn/x}, see {@link PathSchemes}).
 *
 * @param fs   the file system
 * @param path the absolute, normalized path on it
 */
public record FsPath(OutputFs fs, Path path) {

    /**
     * The directory that {@code path} names, for {@code role} ("Output path", "Checkpoint directory")
     * in errors: on the local disk (a {@code file:} prefix is allowed), or on a Hadoop file system.
     *
     * @throws IllegalArgumentException if {@code path} is blank, or names a file system that is not
     *         reachable (no Hadoop client on the class path, an ambiguous scheme); nothing is created
     */
    public static FsPath of(String path, String role) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(role + " is empty (\"" + (path == null ? "null" : path)
                    + "\"); name the directory to write, e.g. saveAsTextFile(\"out/result\")");
        }
        String p = path.strip();
        if (PathSchemes.viaHadoop(p)) {
            return HadoopFiles.locate(p, role);
        }
        return new FsPath(OutputFs.LOCAL, Path.of(PathSchemes.localPath(p, role)).toAbsolutePath().normalize());
    }

    /** Whether this path is on the local disk. */
    public boolean local() {
        return fs == OutputFs.LOCAL;
    }

    /** The child {@code name} of this path, on the same file system. */
    public FsPath resolve(String name) {
        return new FsPath(fs, path.resolve(name));
    }

    /** The path as the user should see it (a URI for another file system). */
    @Override
    public String toString() {
        return fs.show(path);
    }
}
