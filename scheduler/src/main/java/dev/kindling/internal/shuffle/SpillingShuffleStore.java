package dev.kindling.internal.shuffle;

import dev.kindling.internal.storage.memory.ExecutionMemory;
import dev.kindling.internal.storage.memory.MemoryConsumer;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import dev.kindling.internal.network.BlockData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ShuffleStore} that keeps map output as object references in memory while the memory
 * budget allows (the fast path: no serialization per record) and spills to Kryo files under its
 * directory when it does not.
 *
 * <ol>
 *   <li>A writer buffers records in per-reducer arrays, accounting their estimated size as
 *       execution memory; when the {@link MemoryManager} grants no more it writes the buffers to a
 *       spill file and starts again.</li>
 *   <li>A commit without spills keeps the buffers in memory; their memory moves to the store,
 *       which writes such outputs to disk when another task needs the memory. An output whose
 *       writer was asked to {@link ShuffleWriter#preferSerialized()} (a map-side combine's large
 *       output) is written to a file at once instead.</li>
 *   <li>A commit after spills writes the rest to one more file; the output is the list of files.</li>
 *   <li>Readers ({@link StoredOutputReader}) stream each file's segment for their reducer, so reading needs bounded memory.
 *       {@link RecordCursor#bytesRead()} counts the file bytes read; for an in-memory output it
 *       counts the records' estimated size: the output's accounted size shared out by record count.</li>
 *   <li>Files carry a CRC32C per 64 KiB frame ({@link SpillFile}). A reader that meets a damaged
 *       or vanished file removes that map output (deleting its files) and throws
 *       {@link MissingShuffleOutputException} naming the file, so the scheduler re-runs the map
 *       task instead of retrying the reduce task against the same bytes.</li>
 *   <li>A write that fails deletes its file at once; on a full disk it throws
 *       {@link dev.kindling.storage.DiskFullException}, which the scheduler does not retry.</li>
 * </ol>
 *
 * <p>Thread safety: as {@link ShuffleStore}; committed outputs may move from memory to disk at
 * any time. Readers read the outputs present when they started; one that moved to disk since is
 * read from its file (the move empties the in-memory buckets, so that the memory it releases is
 * really free, not still held by readers' snapshots).
 */
public final class SpillingShuffleStore implements ShuffleStore {

    private static final Logger LOG = LoggerFactory.getLogger(SpillingShuffleStore.class);

    private final MemoryManager memory;
    private final KryoSerializer serializer;
    private final Path dir;
    private final boolean forceDisk;
    private final ConcurrentHashMap<Integer, AtomicReferenceArray<MapOutput>> shuffles = new ConcurrentHashMap<>();
    private final AtomicLong fileCounter = new AtomicLong();
    private final AtomicLong spills = new AtomicLong();
    private final Committed committed = new Committed();

    /** A committed map output: its buckets in memory, or its files. */
    sealed interface MapOutput permits InMemory, OnDisk {
    }

    /** An output kept in memory: per-reducer key/value arrays, their used slots and estimated bytes. */
    record InMemory(Object[][] buckets, int[] sizes, long bytes) implements MapOutput {
    }

    /** An output on disk, in one or more files. */
    record OnDisk(List<SpillFile> files) implements MapOutput {
    }

    /** A store accounting memory with {@code memory}, spilling with {@code serializer} into {@code dir}. */
    public SpillingShuffleStore(MemoryManager memory, KryoSerializer serializer, Path dir) {
        this(memory, serializer, dir, false);
    }

    /**
     * As {@link #SpillingShuffleStore(MemoryManager, KryoSerializer, Path)}; with {@code forceDisk}
     * every map output is written to disk at commit, so every shuffled record goes through Kryo (a
     * test setting: a record type Kryo cannot handle then fails in tests, not first when a job spills).
     */
    public SpillingShuffleStore(MemoryManager memory, KryoSerializer serializer, Path dir, boolean forceDisk) {
        this.memory = memory;
        this.serializer = serializer;
        this.dir = dir;
        this.forceDisk = forceDisk;
    }

    @Override
    public Optional<MemoryManager> memoryManager() {
        return Optional.of(memory);
    }

    /**
     * Execution memory held by committed map outputs kept in memory; what the memory manager's
     * execution total holds besides running tasks' buffers (tests check tasks give theirs back).
     */
    public long committedMemory() {
        return memory.heldBy(committed);
    }

    /** Spill files written so far (by writers and by moving committed outputs to disk). */
    public long spillCount() {
        return spills.get();
    }

    private Path newFile(int shuffleId, int mapId) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the shuffle directory " + dir + ": " + e.getMessage(), e);
        }
        return dir.resolve("shuffle_" + shuffleId + "_" + mapId + "_" + fileCounter.incrementAndGet() + ".kryo");
    }

    @Override
    public ShuffleWriter writer(int shuffleId, int mapId, int numMaps, int numReducers) {
        return new Writer(shuffleId, mapId, numMaps, numReducers);
    }

    @Override
    public RecordCursor reader(int shuffleId, int reduceId, int[] mapIds) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        MapOutput[] snapshot = new MapOutput[mapIds.length];
        // Every missing output is named at once: the scheduler recomputes them all after this one failure.
        int[] missing = new int[mapIds.length];
        int nMissing = 0;
        MissingShuffleOutputException firstDamage = null;
        for (int i = 0; i < mapIds.length; i++) {
            int m = mapIds[i];
            MapOutput out = outs == null || m >= outs.length() ? null : outs.get(m);
            if (out == null) {
                missing[nMissing++] = m;
                continue;
            }
            SpillFile gone = goneFile(out);
            if (gone != null) {
                MissingShuffleOutputException e = unusable(shuffleId, m, out, new UncheckedIOException("its "
                        + SpillFile.KIND + " " + gone.path() + " is gone", new NoSuchFileException(gone.path().toString())));
                firstDamage = firstDamage == null ? e : firstDamage;
                missing[nMissing++] = m;
                continue;
            }
            snapshot[i] = out;
        }
        if (nMissing == 1) {
            throw firstDamage != null ? firstDamage : new MissingShuffleOutputException(shuffleId, missing[0]);
        }
        if (nMissing > 0) {
            throw new MissingShuffleOutputException(shuffleId, java.util.Arrays.copyOf(missing, nMissing),
                    firstDamage == null ? null : firstDamage.getCause());
        }
        return new StoredOutputReader(this, serializer, shuffleId, outs, snapshot, mapIds.clone(), reduceId);
    }

    /** The first file of an on-disk output that no longer exists (deleted under us), else null. */
    private static SpillFile goneFile(MapOutput out) {
        if (out instanceof OnDisk d) {
            for (SpillFile f : d.files()) {
                if (!Files.exists(f.path())) {
                    return f;
                }
            }
        }
        return null;
    }

    @Override
    public Object outputToken(int shuffleId, int mapId) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        return outs == null || mapId >= outs.length() ? null : outs.get(mapId);
    }

    @Override
    public Optional<BlockData.FileSegment> fileSegment(int shuffleId, int mapId, int reduceId) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        MapOutput out = outs == null || mapId >= outs.length() ? null : outs.get(mapId);
        if (out instanceof OnDisk d && d.files().size() == 1) {
            SpillFile f = d.files().get(0);
            long start = f.offsets()[reduceId];
            return Optional.of(new BlockData.FileSegment(f.path(), start, f.offsets()[reduceId + 1] - start));
        }
        return Optional.empty();
    }

    /**
     * Removes map output {@code mapId} if it is still {@code out} (deleting its files) after a
     * reader found it damaged, and returns the exception that makes the scheduler recompute it.
     */
    MissingShuffleOutputException unusable(int shuffleId, int mapId, MapOutput out, RuntimeException why) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        if (outs != null && mapId < outs.length() && outs.compareAndSet(mapId, out, null)) {
            release(out);
        }
        LOG.warn("Shuffle {} map output {} is unusable and was removed; its map task will re-run: {}",
                shuffleId, mapId, why.getMessage());
        return new MissingShuffleOutputException(shuffleId, mapId, why.getMessage(), why);
    }

    @Override
    public int[] missingMapOutputs(int shuffleId, int numMaps) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        int[] missing = new int[numMaps];
        int n = 0;
        for (int m = 0; m < numMaps; m++) {
            MapOutput out = outs == null ? null : outs.get(m);
            if (out == null || goneFile(out) != null) {
                missing[n++] = m;
            }
        }
        return Arrays.copyOf(missing, n);
    }

    private void release(MapOutput out) {
        if (out instanceof InMemory mem) {
            memory.releaseExecution(committed, mem.bytes());
        } else if (out instanceof OnDisk d) {
            d.files().forEach(SpillFile::delete);
        }
    }

    private void publish(int shuffleId, int mapId, int numMaps, MapOutput out) {
        MapOutput old = shuffles.computeIfAbsent(shuffleId, id -> new AtomicReferenceArray<>(numMaps)).getAndSet(mapId, out);
        if (old != null) {
            release(old);
        }
    }

    @Override
    public void removeMapOutput(int shuffleId, int mapId) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        if (outs != null && mapId < outs.length()) {
            MapOutput old = outs.getAndSet(mapId, null);
            if (old != null) {
                release(old);
            }
        }
    }

    @Override
    public void removeShuffle(int shuffleId) {
        AtomicReferenceArray<MapOutput> outs = shuffles.remove(shuffleId);
        if (outs != null) {
            for (int m = 0; m < outs.length(); m++) {
                MapOutput old = outs.getAndSet(m, null);
                if (old != null) {
                    release(old);
                }
            }
        }
    }

    @Override
    public int shuffleCount() {
        return shuffles.size();
    }

    @Override
    public void close() {
        for (Integer id : shuffles.keySet().toArray(new Integer[0])) {
            removeShuffle(id);
        }
        memory.releaseAll(committed);
    }

    /** The memory of committed in-memory outputs; moves them to disk when asked. */
    private final class Committed implements MemoryConsumer {
        @Override
        public String describe() {
            return "committed in-memory shuffle outputs";
        }

        @Override
        public boolean isTask() {
            return false;
        }

        @Override
        public long spill(long bytes) {
            long freed = 0;
            for (var e : shuffles.entrySet()) {
                AtomicReferenceArray<MapOutput> outs = e.getValue();
                for (int m = 0; m < outs.length() && freed < bytes; m++) {
                    MapOutput out = outs.get(m);
                    if (out instanceof InMemory mem) {
                        SpillFile f = SpillFile.write(newFile(e.getKey(), m), serializer, mem.buckets(), mem.sizes());
                        spills.incrementAndGet();
                        if (outs.compareAndSet(m, out, new OnDisk(List.of(f)))) {
                            // Readers that started before keep this InMemory in their snapshot: empty
                            // it, so the released memory is really free; they read the file instead.
                            Arrays.fill(mem.buckets(), null);
                            memory.releaseExecution(this, mem.bytes());
                            freed += mem.bytes();
                        } else {
                            f.delete();
                        }
                    }
                }
            }
            return freed;
        }
    }

    private final class Writer implements ShuffleWriter {
        private final int shuffleId;
        private final int mapId;
        private final int numMaps;
        private final Object[][] buckets;
        private final int[] sizes;
        private final List<SpillFile> files = new ArrayList<>();
        /** Per record besides key and value: two bucket slots, up to twice that while a bucket doubles. */
        private final SizeTracker tracker = new SizeTracker(16);
        private final ExecutionMemory mem;
        private long records;
        private long bytes;
        private long writeNanos;
        private long memorySpilled;
        private long diskSpilled;
        /** Bytes per reduce bucket of the committed output; null until the commit. */
        private long[] lengths;
        private boolean preferSerialized;

        Writer(int shuffleId, int mapId, int numMaps, int numReducers) {
            this.shuffleId = shuffleId;
            this.mapId = mapId;
            this.numMaps = numMaps;
            this.buckets = new Object[numReducers][];
            this.sizes = new int[numReducers];
            this.mem = new ExecutionMemory(memory, "shuffle " + shuffleId + " map " + mapId + " writer");
        }

        @Override
        public void write(int reducer, Object key, Object value) {
            Object[] bucket = buckets[reducer];
            int size = sizes[reducer];
            if (bucket == null) {
                bucket = new Object[16];
                buckets[reducer] = bucket;
            } else if (size + 2 > bucket.length) {
                bucket = Arrays.copyOf(bucket, bucket.length * 2);
                buckets[reducer] = bucket;
            }
            bucket[size] = key;
            bucket[size + 1] = value;
            sizes[reducer] = size + 2;
            records++;
            tracker.add(key, value);
            if ((records & 63) == 0 && !mem.ensure(tracker.estimate())) {
                spill(false);
            }
        }

        /** Writes the buffers to a new file; a spill unless it is the commit's last file. */
        private void spill(boolean atCommit) {
            long start = System.nanoTime();
            SpillFile f = SpillFile.write(newFile(shuffleId, mapId), serializer, buckets, sizes);
            writeNanos += System.nanoTime() - start;
            files.add(f);
            bytes += f.bytes();
            if (!atCommit) {
                memorySpilled += tracker.estimate();
                diskSpilled += f.bytes();
            }
            spills.incrementAndGet();
            Arrays.fill(buckets, null);
            Arrays.fill(sizes, 0);
            tracker.reset();
            mem.releaseAll();
        }

        @Override
        public void preferSerialized() {
            preferSerialized = true;
        }

        @Override
        public void commit() {
            if (files.isEmpty() && !forceDisk && (preferSerialized ? committedSerialized() : committedInMemory())) {
                return;
            }
            spill(true);
            publishFiles();
        }

        /**
         * Keeps the buffers in memory as the committed output, if the store's memory grants what
         * they hold; false, having given the grant back, if it does not.
         */
        private boolean committedInMemory() {
            long held = tracker.estimate();
            mem.releaseAll();
            long granted = memory.acquireExecution(committed, held);
            if (granted < held) {
                memory.releaseExecution(committed, granted);
                return false;
            }
            bytes = held;
            lengths = new long[buckets.length];
            long allSlots = 2 * records;
            for (int r = 0; r < buckets.length; r++) {
                // The output's estimated size shared out by record count, as readers count it.
                lengths[r] = sizes[r] == 0 ? 0 : Math.max(1, (long) (held * ((double) sizes[r] / allSlots)));
            }
            publish(shuffleId, mapId, numMaps, new InMemory(buckets, sizes, held));
            return true;
        }

        /**
         * Commits the output to a file as asked ({@link #preferSerialized}); if writing it fails (a
         * record Kryo cannot write, a full disk) the buffers are as they were, and the output is
         * kept in memory as it would have been without the hint.
         */
        private boolean committedSerialized() {
            try {
                spill(true);
            } catch (RuntimeException e) {
                LOG.warn("Keeping map output {} of shuffle {} in memory: writing it serialized failed: {}", mapId, shuffleId,
                        e.toString());
                return committedInMemory();
            }
            publishFiles();
            return true;
        }

        /** Publishes the output written to {@code files}, with each reduce bucket's bytes. */
        private void publishFiles() {
            lengths = new long[buckets.length];
            for (SpillFile f : files) {
                for (int r = 0; r < lengths.length; r++) {
                    lengths[r] += f.offsets()[r + 1] - f.offsets()[r];
                }
            }
            publish(shuffleId, mapId, numMaps, new OnDisk(List.copyOf(files)));
        }

        @Override
        public void abort() {
            files.forEach(SpillFile::delete);
            files.clear();
            Arrays.fill(buckets, null);
            mem.releaseAll();
        }

        @Override
        public long[] partitionLengths() {
            if (lengths == null) {
                throw new IllegalStateException("partitionLengths() is known after commit()");
            }
            return lengths.clone();
        }

        @Override
        public long recordsWritten() {
            return records;
        }

        @Override
        public long bytesWritten() {
            return bytes;
        }

        @Override
        public long writeNanos() {
            return writeNanos;
        }

        @Override
        public long memoryBytesSpilled() {
            return memorySpilled;
        }

        @Override
        public long diskBytesSpilled() {
            return diskSpilled;
        }

        @Override
        public long peakMemory() {
            return mem.peak();
        }
    }
}
