package dev.kindling.internal.io;

import java.nio.file.Path;
import java.util.List;

/**
 * An RDD that reads files reports them here, so that a save refuses to overwrite a directory its
 * own job still has to read (see {@link OutputGuard}). A custom file source should implement it too.
 */
public interface FileInput {

    /** The files and directories this RDD reads, as named by the user and as expanded. */
    List<Path> inputPaths();

    /**
     * The file system that {@link #inputPaths()} are on: the local disk unless the RDD reads through
     * Hadoop (asked on the driver only; may be null in a copy of the RDD shipped to a task).
     */
    default OutputFs fileSystem() {
        return OutputFs.LOCAL;
    }
}
