package dev.kindling.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small tmpfs file system mounted for a test, so that writes into it fail with ENOSPC as
 * on a full disk. Needs root (as the tests and CI run); a failed mount fails the test with the
 * mount command's output rather than skipping it. Closing unmounts it and deletes the mount point.
 *
 * <pre>{@code
 * try (TmpfsMount disk = TmpfsMount.mount("2m")) { ... disk.dir() ... }
 * }</pre>
 */
public final class TmpfsMount implements AutoCloseable {

    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (as mount's {@code size=} option: "2m") on a fresh directory. */
    public static TmpfsMount mount(String size) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kindling-tmpfs");
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        if (out != null) {
            Files.deleteIfExists(dir);
            throw new IllegalStateException("Cannot mount a " + size + " tmpfs on " + dir + " (the test needs root, as"
                    + " CI has): " + out);
        }
        return new TmpfsMount(dir);
    }

    /** The mount point. */
    public Path dir() {
        return dir;
    }

    /** Unmounts the file system (its files go with it) and deletes the mount point. */
    @Override
    public void close() throws IOException, InterruptedException {
        String out = run(List.of("umount", dir.toString()));
        if (out != null) {
            // A file still open keeps it busy: detach it so it goes once closed, and report.
            run(List.of("umount", "-l", dir.toString()));
            Files.deleteIfExists(dir);
            throw new IllegalStateException("umount " + dir + " failed (was a file left open?): " + out);
        }
        Files.deleteIfExists(dir);
    }

    /** Runs a command; returns null on success, else its exit code and output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                return "did not finish in 60 s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out.trim();
        } finally {
            p.destroyForcibly();
        }
    }
}
