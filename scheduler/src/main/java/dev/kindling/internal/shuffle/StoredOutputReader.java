package dev.kindling.internal.shuffle;

import dev.kindling.internal.shuffle.SpillingShuffleStore.InMemory;
import dev.kindling.internal.shuffle.SpillingShuffleStore.MapOutput;
import dev.kindling.internal.shuffle.SpillingShuffleStore.OnDisk;
import dev.kindling.internal.storage.io.ChecksumInputStream;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.storage.CorruptFileException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A {@link SpillingShuffleStore}'s cursor over one reduce bucket of some of its map outputs, in the
 * order asked: in-memory buckets are handed out as they are (no copy), files are streamed segment by
 * segment through their checksums. It reads the outputs present when it was made; one moved to disk
 * since is read from its file. A damaged or vanished file removes that output from the store and
 * throws {@link MissingShuffleOutputException} naming the file. Confined to one task thread.
 */
final class StoredOutputReader implements RecordCursor {

    private static final Object[] EMPTY = new Object[0];

    private final SpillingShuffleStore store;
    private final KryoSerializer serializer;
    private final int shuffleId;
    private final AtomicReferenceArray<MapOutput> live;
    private final MapOutput[] outputs;
    /** The map id of each entry of {@code outputs}. */
    private final int[] mapIds;
    private final int reduceId;
    /** Index into {@code outputs} of the output being read. */
    private int map = -1;
    private int file;
    private Object[] bucket = EMPTY;
    private int size;
    private int pos = -2;
    private RecordReader disk;
    private ChecksumInputStream diskFrames;
    private int diskRemaining;
    /** Bytes of closed file segments plus estimated bytes of in-memory buckets taken. */
    private long bytes;
    private Object key;
    private Object value;
    private long read;

    StoredOutputReader(SpillingShuffleStore store, KryoSerializer serializer, int shuffleId,
                       AtomicReferenceArray<MapOutput> live, MapOutput[] outputs, int[] mapIds, int reduceId) {
        this.store = store;
        this.serializer = serializer;
        this.shuffleId = shuffleId;
        this.live = live;
        this.outputs = outputs;
        this.mapIds = mapIds;
        this.reduceId = reduceId;
    }

    @Override
    public boolean advance() {
        try {
            return step();
        } catch (CorruptFileException e) {
            closeDisk();
            throw store.unusable(shuffleId, mapIds[map], outputs[map], e);
        } catch (UncheckedIOException e) {
            closeDisk();
            if (e.getCause() instanceof NoSuchFileException) {
                throw store.unusable(shuffleId, mapIds[map], outputs[map], e);
            }
            throw e;
        }
    }

    private void closeDisk() {
        if (disk != null) {
            bytes += diskFrames.bytesConsumed();
            disk.close();
            disk = null;
            diskFrames = null;
        }
    }

    private boolean step() {
        while (true) {
            if (disk != null) {
                if (diskRemaining > 0) {
                    key = disk.read();
                    value = disk.read();
                    diskRemaining--;
                    read++;
                    return true;
                }
                closeDisk();
                if (nextFile()) {
                    continue;
                }
            } else if (pos + 2 < size) {
                pos += 2;
                key = bucket[pos];
                value = bucket[pos + 1];
                read++;
                return true;
            }
            if (++map >= outputs.length) {
                return false;
            }
            size = 0;
            pos = -2;
            bucket = EMPTY;
            MapOutput out = outputs[map];
            outputs[map] = null; // read once: do not keep it reachable after this bucket
            if (out instanceof InMemory m) {
                Object[] b = m.buckets()[reduceId]; // read once: the store may empty it meanwhile
                if (b != null || m.sizes()[reduceId] == 0) {
                    bucket = b == null ? EMPTY : b;
                    size = b == null ? 0 : m.sizes()[reduceId];
                    bytes += estimatedBytes(m, size);
                    continue;
                }
                out = movedToDisk(m);
            }
            outputs[map] = out;
            file = -1;
            nextFile();
        }
    }

    /**
     * The on-disk output that replaced {@code spilled} after this reader took its snapshot (the
     * in-memory buckets were emptied to free their memory); missing output if it is gone since.
     */
    private MapOutput movedToDisk(InMemory spilled) {
        MapOutput now = live.get(mapIds[map]);
        while (now == spilled) { // the spilling thread empties the buckets right after swapping
            Thread.onSpinWait();
            now = live.get(mapIds[map]);
        }
        if (now instanceof OnDisk) {
            return now;
        }
        throw new MissingShuffleOutputException(shuffleId, mapIds[map]);
    }

    /** Opens the next non-empty segment of the current on-disk output; false when none is left. */
    private boolean nextFile() {
        List<SpillFile> files = ((OnDisk) outputs[map]).files();
        while (++file < files.size()) {
            SpillFile f = files.get(file);
            if (f.counts()[reduceId] > 0) {
                diskFrames = f.openFrames(reduceId);
                disk = serializer.newReader(diskFrames);
                diskRemaining = f.counts()[reduceId];
                return true;
            }
        }
        return false;
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public long recordsRead() {
        return read;
    }

    @Override
    public long bytesRead() {
        return bytes + (diskFrames == null ? 0 : diskFrames.bytesConsumed());
    }

    /**
     * The estimated size of the {@code slots / 2} records of one in-memory bucket: the map output's
     * estimated size (as accounted against the memory budget) shared out by record count.
     */
    private static long estimatedBytes(InMemory m, int slots) {
        long allSlots = 0;
        for (int s : m.sizes()) {
            allSlots += s;
        }
        return allSlots == 0 ? 0 : (long) (m.bytes() * ((double) slots / allSlots));
    }
}
