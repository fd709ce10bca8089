package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One save to one output directory, from setup to commit or abort (see {@link TextOutput} for the
 * protocol). Review checklist:
 * <ol>
 *   <li>{@link #begin} checks everything (existence, a live writer, the overwrite guards) and claims the
 *       directory before it deletes anything; it deletes nothing itself.</li>
 *   <li>The old output of an overwrite is deleted only at commit, after every task has ended, and its
 *       {@code _SUCCESS} first.</li>
 *   <li>{@code _SUCCESS} appears (by rename) only after every part file is in place.</li>
 *   <li>An abort deletes only what this job made: its claim (attempt and task files), the part files it
 *       had moved, and the output directory if this job created it and it is then empty.</li>
 *   <li>Commit and abort are serialised on this object and each happens at most once, so a context
 *       closing while its save thread also fails cleans up once, and before {@code close()} returns.</li>
 * </ol>
 */
final class SaveJob implements OutputCommitCoordinator.OutputJob {

    private static final Logger LOG = LoggerFactory.getLogger(SaveJob.class);
    static final String SUCCESS = "_SUCCESS";

    private final Path out;
    private final String jobTag;
    private final boolean createdOut;
    private final boolean replacing;
    private final OutputClaim claim;
    private final List<Path> moved = new ArrayList<>();
    private int live;
    private boolean closed;
    private boolean committed;
    private boolean aborted;

    private SaveJob(Path out, String jobTag, boolean createdOut, boolean replacing, OutputClaim claim) {
        this.out = out;
        this.jobTag = jobTag;
        this.createdOut = createdOut;
        this.replacing = replacing;
        this.claim = claim;
    }

    /**
     * Checks that {@code out} may be written and claims it for this job.
     *
     * @throws IllegalStateException if it exists (without overwrite) or another job is writing it
     * @throws IllegalArgumentException if overwrite is set but one of {@link OutputGuard}'s rules forbids it
     */
    static SaveJob begin(Path out, String jobTag, boolean overwrite, boolean force, Collection<Path> inputs) {
        boolean created = false;
        if (!Files.exists(out)) {
            try {
                Files.createDirectories(out.getParent());
                Files.createDirectory(out);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // Made by someone else just now: treat it as existing.
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create output directory " + out + ": " + e.getMessage(), e);
            }
        }
        if (!created) {
            checkExisting(out, overwrite, force, inputs);
            if (Files.isRegularFile(out)) {
                // Forced over a plain file: the directory needs its place (nothing else to keep here).
                deleteRecursively(out);
                return begin(out, jobTag, overwrite, force, inputs);
            }
        }
        OutputClaim claim;
        try {
            claim = OutputClaim.acquire(out, jobTag);
        } catch (RuntimeException e) {
            if (created) {
                deleteIfEmpty(out);
            }
            throw e;
        }
        return new SaveJob(out, jobTag, created, !created, claim);
    }

    private static void checkExisting(Path out, boolean overwrite, boolean force, Collection<Path> inputs) {
        OutputClaim.checkNotBusy(out);
        if (!overwrite) {
            throw new IllegalStateException(new FileAlreadyExistsException("Output directory " + out
                    + " already exists; delete it, choose another path, or set " + KindlingConf.OUTPUT_OVERWRITE + "=true"));
        }
        OutputGuard.checkOverwrite(out, inputs, force);
    }

    /** This job's attempt area, {@code out/_temporary/0}. */
    Path jobTemp() {
        return claim.dir().resolve("0");
    }

    String jobTag() {
        return jobTag;
    }

    Path out() {
        return out;
    }

    /** A task attempt starts writing; false once the job has ended (the attempt must write nothing). */
    @Override
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        live++;
        return true;
    }

    /** A task attempt has ended (its attempt directory is already deleted). */
    @Override
    public synchronized void exit() {
        live--;
        notifyAll();
    }

    /**
     * Task commit, on the executor, by the attempt the driver's output commit coordinator allowed:
     * renames the attempt directory to the task directory (unless it is there already).
     */
    static void commitTask(Path attemptDir, Path taskDir) throws IOException {
        if (Files.exists(taskDir)) {
            LOG.info("Task commit denied for {}: {} was already committed by another attempt",
                    attemptDir.getFileName(), taskDir.getFileName());
            return;
        }
        Files.move(attemptDir, taskDir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stops new attempts from writing and waits for running ones to end (killed ones stop quickly). */
    private synchronized void closeAndAwait(long timeoutMillis) {
        closed = true;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        boolean interrupted = false;
        while (live > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                LOG.warn("{} task(s) writing to {} did not stop within {} ms; cleaning up anyway", live, out, timeoutMillis);
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Commits the job once all its tasks succeeded: deletes the replaced output, moves the part
     * files into {@code out}, renames {@code _SUCCESS} into place, then releases the claim.
     */
    synchronized void commit(long waitMillis) {
        closeAndAwait(waitMillis);
        if (aborted) {
            throw new IllegalStateException("The save to " + out + " was aborted (its context closed) before it committed");
        }
        try {
            if (replacing) {
                deleteOldOutput();
            }
            try (Stream<Path> tasks = Files.list(jobTemp())) {
                for (Path task : tasks.filter(p -> p.getFileName().toString().startsWith("task_")).sorted().toList()) {
                    try (Stream<Path> parts = Files.list(task)) {
                        for (Path part : parts.sorted().toList()) {
                            Path target = out.resolve(part.getFileName());
                            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                            moved.add(target);
                        }
                    }
                }
            }
            Path marker = claim.dir().resolve(SUCCESS);
            Files.createFile(marker);
            Files.move(marker, out.resolve(SUCCESS), StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Committing output to " + out + " failed: " + e.getMessage(), e);
        }
        claim.release();
    }

    /**
     * Deletes the output this save replaces: its {@code _SUCCESS} first, then everything but our claim
     * and hidden claim directories of live writers (those of dead ones go too).
     */
    private void deleteOldOutput() throws IOException {
        Files.deleteIfExists(out.resolve(SUCCESS));
        OutputClaim.deleteLeftovers(out);
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : old.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(OutputClaim.TEMPORARY) && !name.startsWith(".kindling-")) {
                    deleteRecursively(p);
                }
            }
        }
    }

    /**
     * Ends a failed, cancelled or abandoned job: waits for its attempts, then deletes what it made.
     * Does nothing if the job already committed or aborted.
     */
    synchronized void abort(long waitMillis) {
        closeAndAwait(waitMillis);
        if (committed || aborted) {
            return;
        }
        aborted = true;
        for (Path p : moved) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Could not delete {} after the failed save to {}: {}", p, out, e.toString());
            }
        }
        claim.release();
        if (createdOut) {
            deleteIfEmpty(out);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty: another job's files are there now; they are not ours to delete.
        }
    }

    private static void deleteRecursively(Path p) {
        FileTrees.deleteQuietly(p);
        if (Files.exists(p)) {
            throw new UncheckedIOException(new IOException("Cannot delete " + p + ", which the new output replaces;"
                    + " check its permissions"));
        }
    }

    @Override
    public String toString() {
        return "SaveJob[" + jobTag + " -> " + out + "]";
    }
}
