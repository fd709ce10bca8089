package dev.kindling.storage;

import java.nio.file.Path;

/**
 * Thrown when a scratch file (shuffle file, spill run, cached disk block) fails its checksum or is
 * truncated: its bytes changed after they were written (a disk, file system or memory fault, or
 * another process writing to {@code kindling.local.dir}). No record of the damaged frame has been
 * returned to the reader. Shuffle readers turn it into a lost map output (the map task re-runs),
 * the block store into a missing block (recomputed from lineage).
 */
public final class CorruptFileException extends RuntimeException {

    private final transient Path file;
    private final long offset;

    /** Creates the exception for the frame at byte {@code offset} of {@code file}, a file of {@code kind}. */
    public CorruptFileException(String kind, Path file, long offset, String detail) {
        super("Corrupt " + kind + " " + file + " at byte offset " + offset + ": " + detail
                + "; the file changed after it was written (a disk or memory fault, or something else writing"
                + " into kindling.local.dir)");
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset in the file of the frame that failed its check. */
    public long offset() {
        return offset;
    }
}
