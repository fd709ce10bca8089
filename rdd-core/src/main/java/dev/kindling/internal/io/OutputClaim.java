package dev.kindling.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One save job's exclusive claim on an output directory: {@code out/_temporary}, which holds the
 * job's attempt files and a {@value #WRITER_FILE} record of its writer (process id, process start,
 * job tag). Rules:
 * <ol>
 *   <li>The claim appears atomically with its record: it is built as a hidden sibling and renamed to
 *       {@code _temporary}; the rename fails when a claim already exists (a directory that is not
 *       empty), in any JVM on this machine, as Hadoop's committer relies on mkdir.</li>
 *   <li>A claim whose writer process is gone (no such pid, or a pid reused by a process that started
 *       later) is stale; one whose writer ran on another host (a shared file system such as HDFS)
 *       counts as live, since its process cannot be looked at from here: the next writer moves it aside under a name of its own, checks that it moved
 *       the stale claim (not a fresh one made meanwhile), deletes it and claims again, with a warning.</li>
 *   <li>A claim without a record (another tool's {@code _temporary}) is never taken over: the error
 *       says to delete it by hand if nothing is writing there.</li>
 *   <li>{@link #release()} deletes the whole claim; it is the only thing a job deletes besides the
 *       output directory it created, and only when that directory is then empty.</li>
 * </ol>
 * The file operations go through an {@link OutputFs}, so the same rules hold on HDFS, whose rename
 * also fails onto an existing directory.
 */
final class OutputClaim {

    private static final Logger LOG = LoggerFactory.getLogger(OutputClaim.class);
    /** The claim directory's name, Hadoop's. */
    static final String TEMPORARY = "_temporary";
    /** The writer record inside the claim. */
    static final String WRITER_FILE = "kindling-writer";
    /** A claim being built: {@code .kindling-claim-<pid>-<start>-<job>}, renamed to {@code _temporary}. */
    private static final String CLAIM_PREFIX = ".kindling-claim-";
    /** A stale claim moved aside before it is deleted: {@code .kindling-stale-<pid>-<start>-<job>}. */
    private static final String STALE_PREFIX = ".kindling-stale-";

    private final OutputFs fs;
    private final Path out;
    private final Path dir;

    private OutputClaim(OutputFs fs, Path out) {
        this.fs = fs;
        this.out = out;
        this.dir = out.resolve(TEMPORARY);
    }

    /** The claim directory, {@code out/_temporary}. */
    Path dir() {
        return dir;
    }

    /**
     * Claims {@code out} (which must exist) for the job {@code jobTag}, taking over a stale claim.
     *
     * @throws IllegalStateException "already being written by another job" when a live writer holds it
     */
    static OutputClaim acquire(OutputFs fs, Path out, String jobTag) {
        Writer me = Writer.current(jobTag);
        for (int round = 0; round < 4; round++) {
            Path staging = out.resolve(me.hiddenName(CLAIM_PREFIX));
            try {
                fs.createDirectory(staging);
                try (OutputStream record = fs.create(staging.resolve(WRITER_FILE))) {
                    record.write(me.encode().getBytes(StandardCharsets.UTF_8));
                }
                fs.rename(staging, out.resolve(TEMPORARY));
                return new OutputClaim(fs, out);
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("Output directory " + fs.show(out) + " disappeared while the save"
                        + " started: " + e.getMessage(), e);
            } catch (IOException e) {
                fs.deleteQuietly(staging);
                // Someone else's claim is in the way (or the rename failed for another reason): look at it.
            }
            Path existing = out.resolve(TEMPORARY);
            if (!fs.exists(existing)) {
                continue;
            }
            Optional<Writer> holder = Writer.read(fs, existing);
            if (holder.isEmpty() || holder.get().alive()) {
                throw busy(fs, out, holder);
            }
            takeOver(fs, out, existing, holder.get(), jobTag);
        }
        throw busy(fs, out, Writer.read(fs, out.resolve(TEMPORARY)));
    }

    /**
     * Fails if a live writer holds {@code out}; a claim without a record counts as live.
     *
     * @throws IllegalStateException "already being written by another job", naming the writer
     */
    static void checkNotBusy(OutputFs fs, Path out) {
        Path existing = out.resolve(TEMPORARY);
        if (!fs.isDirectory(existing)) {
            return;
        }
        Optional<Writer> w = Writer.read(fs, existing);
        if (w.isEmpty() || w.get().alive()) {
            throw busy(fs, out, w);
        }
    }

    /** Whether {@code out/_temporary} is a claim whose writer is gone (so it holds nothing to keep). */
    static boolean isStale(OutputFs fs, Path temporary) {
        Optional<Writer> w = Writer.read(fs, temporary);
        return w.isPresent() && !w.get().alive();
    }

    private static void takeOver(OutputFs fs, Path out, Path existing, Writer stale, String jobTag) {
        Path aside = out.resolve(Writer.current(jobTag).hiddenName(STALE_PREFIX));
        try {
            fs.rename(existing, aside);
        } catch (IOException e) {
            return; // gone or replaced meanwhile: look again
        }
        Optional<Writer> moved = Writer.read(fs, aside);
        if (moved.isEmpty() || !moved.get().equals(stale)) {
            // A live writer claimed between our look and our move: give its claim back.
            try {
                fs.rename(aside, existing);
            } catch (IOException e) {
                LOG.error("Could not return the claim of {} on {} (moved to {}): {}", moved.map(Writer::describe)
                        .orElse("another writer"), fs.show(out), fs.show(aside), e.toString());
            }
            throw busy(fs, out, moved);
        }
        LOG.warn("Taking over {}: its writer ({}) is gone; deleting the temporary files it left", fs.show(out),
                stale.describe());
        fs.deleteQuietly(aside);
    }

    /**
     * Deletes the hidden claim directories in {@code out} that a writer killed while claiming or
     * taking over left behind; each names its writer, so one of a live process is never touched.
     */
    static void deleteLeftovers(OutputFs fs, Path out) throws IOException {
        for (Path p : fs.list(out)) {
            String name = p.getFileName().toString();
            String rest = name.startsWith(CLAIM_PREFIX) ? name.substring(CLAIM_PREFIX.length())
                    : name.startsWith(STALE_PREFIX) ? name.substring(STALE_PREFIX.length()) : null;
            Optional<ProcessIdentity> owner = rest == null ? Optional.empty() : ownerOf(rest);
            if (owner.isPresent() && !owner.get().isAlive()) {
                fs.deleteQuietly(p);
            }
        }
    }

    private static Optional<ProcessIdentity> ownerOf(String pidStartJob) {
        String[] parts = pidStartJob.split("-", 3);
        try {
            return parts.length == 3 ? Optional.of(new ProcessIdentity(Long.parseLong(parts[0]),
                    Long.parseLong(parts[1]))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static IllegalStateException busy(OutputFs fs, Path out, Optional<Writer> holder) {
        String who = holder.map(Writer::describe).orElse("a writer that left no record in " + TEMPORARY);
        return new IllegalStateException("Output directory " + fs.show(out) + " is already being written by another"
                + " job (" + who + "); wait for it to finish or choose another path"
                + (holder.isEmpty() ? " (if nothing is writing there, delete " + fs.show(out.resolve(TEMPORARY)) + ")" : ""));
    }

    /** Deletes the claim and everything under it (this job's attempt and task files). */
    void release() {
        fs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "OutputClaim[" + fs.show(out) + "]";
    }

    /**
     * Who holds a claim: a process (by pid and start time), the job in it, and its host (empty in
     * records written before hosts were recorded: this host).
     */
    record Writer(long pid, long startMillis, String jobTag, String host) {

        /** This host's name, recorded so that a claim made elsewhere is never judged by a local pid. */
        private static final String HOST = localHost();

        static Writer current(String jobTag) {
            ProcessIdentity self = ProcessIdentity.current();
            return new Writer(self.pid(), self.startMillis(), jobTag, HOST);
        }

        static Optional<Writer> read(OutputFs fs, Path claim) {
            try (InputStream in = fs.open(claim.resolve(WRITER_FILE))) {
                String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
                return Optional.of(new Writer(Long.parseLong(lines[0].trim()), Long.parseLong(lines[1].trim()),
                        lines[2].trim(), lines.length > 3 ? lines[3].trim() : ""));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static String localHost() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }

        private boolean elsewhere() {
            return !host.isEmpty() && !host.equals(HOST);
        }

        /** A hidden directory name that records this writer: {@code prefix<pid>-<start>-<job>}. */
        String hiddenName(String prefix) {
            return prefix + pid + "-" + startMillis + "-" + jobTag;
        }

        String encode() {
            return pid + "\n" + startMillis + "\n" + jobTag + "\n" + host + "\n";
        }

        /**
         * Whether the writing process still runs (see {@link ProcessIdentity#isAlive()}); a writer on
         * another host counts as running.
         */
        boolean alive() {
            return elsewhere() || process().isAlive();
        }

        private ProcessIdentity process() {
            return new ProcessIdentity(pid, startMillis);
        }

        String describe() {
            if (elsewhere()) {
                return "process " + pid + " on host " + host + ", job " + jobTag;
            }
            return process().describe() + ", job " + jobTag + (process().isCurrent() ? ", in this JVM" : "");
        }
    }
}
