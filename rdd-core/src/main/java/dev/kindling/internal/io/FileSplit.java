package dev.kindling.internal.io;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * A byte range of one input file, read by one task. {@code length == -1} means the whole file
 * (compressed files cannot be split).
 *
 * @param path   the file
 * @param start  first byte of the range
 * @param length bytes in the range, or -1 for the whole file
 */
public record FileSplit(String path, long start, long length) implements Serializable {

    /** The file as a path. */
    public Path file() {
        return Path.of(path);
    }

    /** Whether the file is gzip-compressed (read whole). */
    public boolean compressed() {
        return path.endsWith(".gz");
    }
}
