package dev.kindling.internal.shuffle;

/**
 * A reduce task could not read one map output: the output is not registered, or its executor does
 * not have it any more, or its bytes could not be fetched or read (the cause says which). The
 * scheduler does not count it as a task failure: it forgets that map output, re-runs the map task
 * that makes it, then the reading stage (Spark's {@code FetchFailedException}).
 */
public final class FetchFailedException extends RuntimeException {

    private final int shuffleId;
    private final int mapId;
    private final String executorId;
    private final int reduceId;

    /**
     * Creates the exception for map output {@code mapId} of shuffle {@code shuffleId} on executor
     * {@code executorId} (null when no location is registered), read for reduce partition
     * {@code reduceId}; {@code cause} may be null.
     */
    public FetchFailedException(int shuffleId, int mapId, String executorId, int reduceId, String reason,
                                Throwable cause) {
        super("Cannot fetch shuffle " + shuffleId + " map output " + mapId + " for reduce partition " + reduceId
                + (executorId == null ? "" : " from executor " + executorId) + ": " + reason
                + "; the map task will be re-run", cause);
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.executorId = executorId;
        this.reduceId = reduceId;
    }

    /** The shuffle whose output could not be read. */
    public int shuffleId() {
        return shuffleId;
    }

    /** The map partition whose output could not be read. */
    public int mapId() {
        return mapId;
    }

    /** The executor that was to hold the output; null when the tracker knew no location. */
    public String executorId() {
        return executorId;
    }

    /** The reduce partition that was being read. */
    public int reduceId() {
        return reduceId;
    }
}
