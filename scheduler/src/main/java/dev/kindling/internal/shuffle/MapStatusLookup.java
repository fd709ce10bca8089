package dev.kindling.internal.shuffle;

/**
 * Where a reducer learns the locations of a shuffle's map outputs: the driver's
 * {@link MapOutputTracker} itself in local mode, or, in an executor process, a view that asks the
 * driver's tracker over RPC.
 *
 * <p>Thread safety: called by many task threads at once.
 */
@FunctionalInterface
public interface MapStatusLookup {

    /**
     * The statuses of map partitions {@code [0, numMaps)} of shuffle {@code shuffleId}; an entry is
     * null where no output is registered (lost, or not computed yet).
     */
    MapStatus[] statuses(int shuffleId, int numMaps);
}
