package dev.kindling.internal.storage.block;

/**
 * How the cache served the blocks of one RDD since it was first stored: reads served from memory or
 * disk ({@code hits}), partitions computed because no block was there ({@code misses}), and blocks
 * evicted from memory (to disk, or dropped) to make room ({@code evictions}).
 */
public record CacheCounts(long hits, long misses, long evictions) {

    /** No reads, computations or evictions. */
    public static final CacheCounts NONE = new CacheCounts(0, 0, 0);
}
