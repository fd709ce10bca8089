package dev.kindling;

import dev.kindling.internal.io.FileTrees;
import dev.kindling.internal.io.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes a context's scratch directory (block files, shuffle spills), placed under
 * {@value KindlingConf#LOCAL_DIR} or {@code java.io.tmpdir}.
 *
 * <p>Each scratch directory holds an owner file, {@value #OWNER_FILE}, naming the process that made
 * it: its pid and its start time. A new context deletes the sibling scratch directories whose owner
 * is gone (a JVM killed with {@code kill -9}, or stopped before its contexts closed):
 * <ol>
 *   <li>only directories named {@code kindling-*} that hold a readable owner file are considered;</li>
 *   <li>the owner is gone when no process has its pid, or the process with that pid started at
 *       another time (the pid was reused);</li>
 *   <li>a directory whose owner is alive, or whose owner cannot be told, is never touched.</li>
 * </ol>
 */
final class ScratchDirectory {

    /** The owner file in each scratch directory: {@code pid=<pid> start=<epoch millis or ->}. */
    static final String OWNER_FILE = ".kindling-owner";

    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectory.class);
    private static final String PREFIX = "kindling-";
    private static final AtomicLong SCRATCH_DIRS = new AtomicLong();

    private ScratchDirectory() {
    }

    /**
     * Creates a fresh scratch directory under the configured parent (created if missing), after
     * deleting stale sibling directories of dead processes; fails with a message naming
     * {@value KindlingConf#LOCAL_DIR} when that is not writable.
     */
    static Path create(KindlingConf conf) {
        try {
            Path parent = Path.of(conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            deleteStale(parent);
            return createUnder(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory under " + KindlingConf.LOCAL_DIR + "="
                    + conf.get(KindlingConf.LOCAL_DIR, System.getProperty("java.io.tmpdir"))
                    + "; set it to a writable directory", e);
        }
    }

    /**
     * Creates {@code kindling-<pid>-<n>} under {@code parent}, owner-only where the file system
     * allows, with its owner file. Named from the process id and a counter rather than
     * {@code Files.createTempDirectory} because seeding its SecureRandom is a sizeable part of a cold
     * context start.
     */
    private static Path createUnder(Path parent) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(PREFIX + self.pid() + "-" + SCRATCH_DIRS.incrementAndGet() + "-" + System.nanoTime());
            try {
                Files.createDirectory(dir);
                dir.toFile().setReadable(false, false);
                dir.toFile().setReadable(true, true);
                dir.toFile().setWritable(false, false);
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(false, false);
                dir.toFile().setExecutable(true, true);
                writeOwner(dir, self);
                return dir;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Writes the owner file of {@code dir}: the pid and start time of {@code owner}. */
    static void writeOwner(Path dir, ProcessHandle owner) throws IOException {
        ProcessIdentity id = ProcessIdentity.of(owner);
        Files.writeString(dir.resolve(OWNER_FILE), "pid=" + id.pid() + " start="
                + (id.startMillis() < 0 ? "-" : Long.toString(id.startMillis())) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Deletes the scratch directories under {@code parent} whose owner process is gone (see the
     * class doc); best effort, never throws.
     */
    static void deleteStale(Path parent) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && ownerIsGone(dir)) {
                    LOG.info("Deleting the scratch directory {} of a process that is gone", dir);
                    delete(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not look for stale scratch directories under {}: {}", parent, e.toString());
        }
    }

    /** Whether the owner file of {@code dir} names a process that no longer runs; false when it cannot be told. */
    static boolean ownerIsGone(Path dir) {
        String owner;
        try {
            owner = Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return false; // no owner file: not ours to judge
        }
        ProcessIdentity recorded;
        try {
            String[] fields = owner.split(" ");
            if (fields.length != 2 || !fields[0].startsWith("pid=") || !fields[1].startsWith("start=")) {
                return false;
            }
            String start = fields[1].substring(6);
            recorded = new ProcessIdentity(Long.parseLong(fields[0].substring(4)),
                    start.equals("-") ? -1 : Long.parseLong(start));
        } catch (NumberFormatException e) {
            return false;
        }
        return !recorded.isCurrent() && !recorded.isAlive();
    }

    /** Deletes {@code dir} and everything under it, best effort (used at close; never throws). */
    static void delete(Path dir) {
        FileTrees.deleteQuietly(dir);
    }
}
