package dev.kindling.internal.storage.io;

import dev.kindling.storage.DiskFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a failed write of a scratch file into the error a user can act on: a full disk becomes a
 * {@link DiskFullException} (not retried), other I/O errors an {@link UncheckedIOException} naming
 * the file; the file itself is deleted first. Kryo reports a failing stream as a
 * {@code KryoException} whose cause is the {@link IOException}; that wrapping is looked through.
 */
public final class ScratchFiles {

    /** How a context names its scratch directory under {@code kindling.local.dir}: kindling-PID-N-NANOS. */
    private static final Pattern SCRATCH_DIR_NAME = Pattern.compile("kindling-\\d+-\\d+--?\\d+");

    private ScratchFiles() {
    }

    /**
     * Deletes {@code file} (the partial file a failed write leaves) and returns the exception to
     * throw for {@code failure}; an {@link Error} is rethrown as it is.
     */
    public static RuntimeException writeFailed(String kind, Path file, Throwable failure) {
        deleteQuietly(file);
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof DiskFullException full) {
            return full;
        }
        IOException io = ioCause(failure);
        if (io != null && isDiskFull(io)) {
            return new DiskFullException(kind, file, localDirOf(file), io);
        }
        if (failure instanceof RuntimeException r) {
            // Not an I/O problem (a record Kryo cannot serialize, a killed task): keep it as it is.
            return io == null ? r : new UncheckedIOException("Cannot write " + kind + " " + file + ": " + io.getMessage()
                    + "; check free space and permissions of kindling.local.dir=" + localDirOf(file), io);
        }
        IOException cause = io != null ? io : new IOException(failure);
        return new UncheckedIOException("Cannot write " + kind + " " + file + ": " + cause.getMessage()
                + "; check free space and permissions of kindling.local.dir=" + localDirOf(file), cause);
    }

    /** Whether {@code e} or an exception in its cause chain reports a full disk (ENOSPC). */
    public static boolean isDiskFull(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = e; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof IOException) {
                String reason = c instanceof FileSystemException fs ? fs.getReason() : null;
                if (mentionsFullDisk(c.getMessage()) || mentionsFullDisk(reason)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mentionsFullDisk(String message) {
        return message != null && (message.contains("No space left on device") || message.contains("ENOSPC"));
    }

    /** The first {@link IOException} in the cause chain of {@code e}, or null. */
    static IOException ioCause(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = e; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /**
     * The {@code kindling.local.dir} a scratch file lies under: the parent of the context's scratch
     * directory ({@code kindling-<pid>-...}), else the file's own directory.
     */
    public static Path localDirOf(Path file) {
        Path abs = file.toAbsolutePath();
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            Path name = p.getFileName();
            if (name != null && SCRATCH_DIR_NAME.matcher(name.toString()).matches() && p.getParent() != null) {
                return p.getParent();
            }
        }
        return abs.getParent();
    }

    /** Deletes {@code file} if it exists, ignoring failures (the scratch directory goes at close). */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Removed with the scratch directory when the context closes.
        }
    }
}
