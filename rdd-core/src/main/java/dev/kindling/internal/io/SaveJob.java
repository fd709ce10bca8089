package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * Every file operation goes through an {@link OutputFs}: the local disk, or a Hadoop file system
 * (where the renames are the file system's own atomic renames).
 */
final class SaveJob implements OutputCommitCoordinator.OutputJob {

    private static final Logger LOG = LoggerFactory.getLogger(SaveJob.class);
    static final String SUCCESS = "_SUCCESS";

    private final OutputFs fs;
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

    private SaveJob(OutputFs fs, Path out, String jobTag, boolean createdOut, boolean replacing, OutputClaim claim) {
        this.fs = fs;
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
    static SaveJob begin(FsPath target, String jobTag, boolean overwrite, boolean force, Collection<Path> inputs) {
        OutputFs fs = target.fs();
        Path out = target.path();
        boolean created = false;
        if (!fs.exists(out)) {
            try {
                fs.createDirectories(out.getParent());
                fs.createDirectory(out);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // Made by someone else just now: treat it as existing.
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create output directory " + target + ": " + e.getMessage()
                        + "; check that its parent is writable" + (target.local() ? "" : " and the file system reachable"), e);
            }
        }
        if (!created) {
            checkExisting(fs, out, overwrite, force, inputs);
            if (fs.isRegularFile(out)) {
                // Forced over a plain file: the directory needs its place (nothing else to keep here).
                deleteRecursively(fs, out);
                return begin(target, jobTag, overwrite, force, inputs);
            }
        }
        OutputClaim claim;
        try {
            claim = OutputClaim.acquire(fs, out, jobTag);
        } catch (RuntimeException e) {
            if (created) {
                deleteIfEmpty(fs, out);
            }
            throw e;
        }
        SaveJob job = new SaveJob(fs, out, jobTag, created, !created, claim);
        try {
            fs.createDirectory(job.jobTemp());
            fs.createDirectory(job.attemptsDir());
        } catch (IOException e) {
            job.abort(0);
            throw new UncheckedIOException("Cannot create the save's temporary directory " + fs.show(job.attemptsDir())
                    + ": " + e.getMessage(), e);
        }
        return job;
    }

    private static void checkExisting(OutputFs fs, Path out, boolean overwrite, boolean force, Collection<Path> inputs) {
        OutputClaim.checkNotBusy(fs, out);
        if (!overwrite) {
            throw new IllegalStateException(new FileAlreadyExistsException("Output directory " + fs.show(out)
                    + " already exists; delete it (" + fs.deleteCommand() + " " + fs.show(out) + "), choose another"
                    + " path, or set " + KindlingConf.OUTPUT_OVERWRITE + "=true"));
        }
        OutputGuard.checkOverwrite(fs, out, inputs, force);
    }

    /** This job's attempt area, {@code out/_temporary/0}. */
    Path jobTemp() {
        return claim.dir().resolve("0");
    }

    /**
     * Where task attempts write, {@code out/_temporary/0/_temporary}, made by {@link #begin}. Attempts
     * create their directories here without parents (and their files without parents), so that a
     * request a killed attempt left in flight (an HDFS client sends an interrupted call anyway) fails
     * once the job has deleted its claim, instead of bringing the deleted directories back.
     */
    Path attemptsDir() {
        return attemptsDir(jobTemp());
    }

    /** {@link #attemptsDir()} of the job whose {@link #jobTemp()} is {@code jobTemp} (for its tasks). */
    static Path attemptsDir(Path jobTemp) {
        return jobTemp.resolve(OutputClaim.TEMPORARY);
    }

    String jobTag() {
        return jobTag;
    }

    Path out() {
        return out;
    }

    /** The file system the output is on. */
    OutputFs fs() {
        return fs;
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
     * renames the attempt directory to the task directory on {@code fs} (unless it is there already).
     */
    static void commitTask(OutputFs fs, Path attemptDir, Path taskDir) throws IOException {
        if (fs.exists(taskDir)) {
            LOG.info("Task commit denied for {}: {} was already committed by another attempt",
                    attemptDir.getFileName(), taskDir.getFileName());
            return;
        }
        try {
            fs.rename(attemptDir, taskDir);
        } catch (FileAlreadyExistsException raced) {
            LOG.info("Task commit denied for {}: {} was committed by another attempt meanwhile",
                    attemptDir.getFileName(), taskDir.getFileName());
        }
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
            throw new IllegalStateException("The save to " + fs.show(out) + " was aborted (its context closed) before it committed");
        }
        try {
            if (replacing) {
                deleteOldOutput();
            }
            for (Path task : fs.list(jobTemp())) {
                if (!task.getFileName().toString().startsWith("task_")) {
                    continue;
                }
                for (Path part : fs.list(task)) {
                    Path target = out.resolve(part.getFileName());
                    fs.rename(part, target);
                    moved.add(target);
                }
            }
            Path marker = claim.dir().resolve(SUCCESS);
            fs.create(marker).close();
            fs.rename(marker, out.resolve(SUCCESS));
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Committing output to " + fs.show(out) + " failed: " + e.getMessage(), e);
        }
        claim.release();
    }

    /**
     * Deletes the output this save replaces: its {@code _SUCCESS} first, then everything but our claim
     * and hidden claim directories of live writers (those of dead ones go too).
     */
    private void deleteOldOutput() throws IOException {
        fs.deleteIfExists(out.resolve(SUCCESS));
        OutputClaim.deleteLeftovers(fs, out);
        for (Path p : fs.list(out)) {
            String name = p.getFileName().toString();
            if (!name.equals(OutputClaim.TEMPORARY) && !name.startsWith(".kindling-")) {
                deleteRecursively(fs, p);
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
                fs.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Could not delete {} after the failed save to {}: {}", p, fs.show(out), e.toString());
            }
        }
        claim.release();
        if (createdOut) {
            deleteIfEmpty(fs, out);
        }
    }

    private static void deleteIfEmpty(OutputFs fs, Path dir) {
        try {
            fs.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty: another job's files are there now; they are not ours to delete.
        }
    }

    private static void deleteRecursively(OutputFs fs, Path p) {
        fs.deleteQuietly(p);
        if (fs.exists(p)) {
            throw new UncheckedIOException(new IOException("Cannot delete " + fs.show(p) + ", which the new output"
                    + " replaces; check its permissions"));
        }
    }

    @Override
    public String toString() {
        return "SaveJob[" + jobTag + " -> " + fs.show(out) + "]";
    }
}
