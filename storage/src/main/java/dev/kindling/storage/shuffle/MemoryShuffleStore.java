package dev.kindling.storage.shuffle;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Keeps shuffle output as object references in memory: no serialization per record, which is what
 * makes local mode fast. Each map output is an array of buckets; each bucket is an array that
 * interleaves keys and values.
 */
public final class MemoryShuffleStore implements ShuffleStore {

    /** Rough bytes per record for the metrics: two references plus the array slot overhead. */
    private static final int ESTIMATED_BYTES_PER_RECORD = 16;

    private final ConcurrentHashMap<Integer, AtomicReferenceArray<MapOutput>> shuffles = new ConcurrentHashMap<>();

    /** One committed map output: bucket arrays of interleaved key, value. */
    private record MapOutput(Object[][] buckets, int[] sizes) {
    }

    @Override
    public ShuffleWriter writer(int shuffleId, int mapId, int numMaps, int numReducers) {
        return new Writer(shuffleId, mapId, numMaps, numReducers);
    }

    private AtomicReferenceArray<MapOutput> outputs(int shuffleId, int numMaps) {
        return shuffles.computeIfAbsent(shuffleId, id -> new AtomicReferenceArray<>(numMaps));
    }

    @Override
    public RecordCursor reader(int shuffleId, int reduceId, int numMaps) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        MapOutput[] snapshot = new MapOutput[numMaps];
        for (int m = 0; m < numMaps; m++) {
            MapOutput out = outs == null ? null : outs.get(m);
            if (out == null) {
                throw new MissingShuffleOutputException(shuffleId, m);
            }
            snapshot[m] = out;
        }
        return new Reader(snapshot, reduceId);
    }

    @Override
    public int[] missingMapOutputs(int shuffleId, int numMaps) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        int[] missing = new int[numMaps];
        int n = 0;
        for (int m = 0; m < numMaps; m++) {
            if (outs == null || outs.get(m) == null) {
                missing[n++] = m;
            }
        }
        return Arrays.copyOf(missing, n);
    }

    @Override
    public void removeMapOutput(int shuffleId, int mapId) {
        AtomicReferenceArray<MapOutput> outs = shuffles.get(shuffleId);
        if (outs != null && mapId < outs.length()) {
            outs.set(mapId, null);
        }
    }

    @Override
    public void removeShuffle(int shuffleId) {
        shuffles.remove(shuffleId);
    }

    @Override
    public int shuffleCount() {
        return shuffles.size();
    }

    @Override
    public void close() {
        shuffles.clear();
    }

    private final class Writer implements ShuffleWriter {
        private final int shuffleId;
        private final int mapId;
        private final int numMaps;
        private final Object[][] buckets;
        private final int[] sizes;
        private long records;

        Writer(int shuffleId, int mapId, int numMaps, int numReducers) {
            this.shuffleId = shuffleId;
            this.mapId = mapId;
            this.numMaps = numMaps;
            this.buckets = new Object[numReducers][];
            this.sizes = new int[numReducers];
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
        }

        @Override
        public void commit() {
            outputs(shuffleId, numMaps).set(mapId, new MapOutput(buckets, sizes));
        }

        @Override
        public void abort() {
            Arrays.fill(buckets, null);
        }

        @Override
        public long recordsWritten() {
            return records;
        }

        @Override
        public long bytesWritten() {
            return records * ESTIMATED_BYTES_PER_RECORD;
        }
    }

    private static final class Reader implements RecordCursor {
        private final MapOutput[] outputs;
        private final int reduceId;
        private int map = -1;
        private Object[] bucket = new Object[0];
        private int size;
        private int pos = -2;
        private long read;

        Reader(MapOutput[] outputs, int reduceId) {
            this.outputs = outputs;
            this.reduceId = reduceId;
        }

        @Override
        public boolean advance() {
            pos += 2;
            while (pos >= size) {
                if (++map >= outputs.length) {
                    return false;
                }
                Object[] b = outputs[map].buckets()[reduceId];
                bucket = b == null ? new Object[0] : b;
                size = outputs[map].sizes()[reduceId];
                pos = 0;
            }
            read++;
            return true;
        }

        @Override
        public Object key() {
            return bucket[pos];
        }

        @Override
        public Object value() {
            return bucket[pos + 1];
        }

        @Override
        public long recordsRead() {
            return read;
        }
    }
}
