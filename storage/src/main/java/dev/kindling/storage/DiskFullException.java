package dev.kindling.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a scratch file cannot be written because the disk under {@code kindling.local.dir}
 * is full. Running the task again on the same disk cannot help, so it is {@link NotRetryable}: the
 * job fails at once. The {@link IOException} that reported the full disk is the cause; the file
 * that was being written has already been deleted.
 */
public final class DiskFullException extends RuntimeException implements NotRetryable {

    private final transient Path file;

    /** Creates the exception for {@code file}, a file of {@code kind}, under {@code localDir}. */
    public DiskFullException(String kind, Path file, Path localDir, IOException cause) {
        super("no space left on device while writing " + kind + " " + file + " in kindling.local.dir=" + localDir
                + "; free space there or set kindling.local.dir to a directory on a larger disk", cause);
        this.file = file;
    }

    /** The file that could not be written (already deleted). */
    public Path file() {
        return file;
    }
}
