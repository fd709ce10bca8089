package dev.kindling.testing;

import dev.kindling.KindlingConf;
import dev.kindling.storage.StorageLevel;
import java.util.Map;

/**
 * One configuration a {@link ContextFixture} suite runs under: the context's settings and the
 * storage level a test uses when it caches (see {@link #cacheLevel()}).
 */
public enum ContextConfiguration {
    /** Closures copied per task, a large budget, in-memory shuffles, deserialized cache. */
    DEFAULT(Map.of(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 20)), StorageLevel.MEMORY_ONLY),
    /** As {@link #DEFAULT}, with one shared closure per job ({@code kindling.closure.copyPerTask=false}). */
    NO_CLOSURE_COPY(Map.of(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 20),
            KindlingConf.CLOSURE_COPY_PER_TASK, "false"), StorageLevel.MEMORY_ONLY),
    /** A 256 KiB budget: shuffles, aggregations and sorts of a few thousand records spill; cache may use disk. */
    SMALL_MEMORY(Map.of(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 10)), StorageLevel.MEMORY_AND_DISK),
    /** Every shuffle map output written to disk, so every shuffled record goes through Kryo. */
    KRYO_SHUFFLE(Map.of(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 20),
            KindlingConf.SHUFFLE_FORCE_DISK, "true"), StorageLevel.MEMORY_ONLY),
    /** Cached partitions stored Kryo-serialized in memory. */
    MEMORY_ONLY_SER(Map.of(KindlingConf.MEMORY_BYTES, String.valueOf(256L << 20)), StorageLevel.MEMORY_ONLY_SER);

    private final Map<String, String> settings;
    private final StorageLevel cacheLevel;

    ContextConfiguration(Map<String, String> settings, StorageLevel cacheLevel) {
        this.settings = settings;
        this.cacheLevel = cacheLevel;
    }

    /** The {@code kindling.*} settings of the context. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The storage level tests of this configuration persist with. */
    public StorageLevel cacheLevel() {
        return cacheLevel;
    }
}
