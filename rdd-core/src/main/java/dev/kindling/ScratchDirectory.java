package dev.kindling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Creates and deletes a context's scratch directory (block files, shuffle spills), placed under
 * {@value KindlingConf#LOCAL_DIR} or {@code java.io.tmpdir}.
 */
final class ScratchDirectory {

    private static final AtomicLong SCRATCH_DIRS = new AtomicLong();

    private ScratchDirectory() {
    }

    /**
     * Creates a fresh scratch directory under the configured parent (created if missing); fails
     * with a message naming {@value KindlingConf#LOCAL_DIR} when that is not writable.
     */
    static Path create(KindlingConf conf) {
        try {
            Path parent = Path.of(conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            return createUnder(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory under " + KindlingConf.LOCAL_DIR + "="
                    + conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir"))
                    + "; set it to a writable directory", e);
        }
    }

    /**
     * Creates {@code kindling-<pid>-<n>} under {@code parent}, owner-only where the file system
     * allows. Named from the process id and a counter rather than {@code Files.createTempDirectory}
     * because seeding its SecureRandom is a sizeable part of a cold context start.
     */
    private static Path createUnder(Path parent) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve("kindling-" + pid + "-" + SCRATCH_DIRS.incrementAndGet() + "-" + System.nanoTime());
            try {
                Files.createDirectory(dir);
                dir.toFile().setReadable(false, false);
                dir.toFile().setReadable(true, true);
                dir.toFile().setWritable(false, false);
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(false, false);
                dir.toFile().setExecutable(true, true);
                return dir;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Deletes {@code dir} and everything under it, best effort (used at close; never throws). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a file still open elsewhere is left for the OS temp cleaner.
                }
            });
        } catch (IOException ignored) {
            // Nothing more to do at close.
        }
    }
}
