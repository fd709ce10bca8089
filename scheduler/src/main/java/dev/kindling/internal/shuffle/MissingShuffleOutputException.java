package dev.kindling.internal.shuffle;

/**
 * Thrown by a shuffle read when a map output it needs is missing (lost or never written) or
 * unusable (its file is damaged: then the cause is the {@code CorruptFileException} naming the
 * file). The scheduler reacts by re-running the map stage that produces it, not by counting a task
 * failure.
 */
public final class MissingShuffleOutputException extends RuntimeException {

    private final int shuffleId;
    private final int mapId;

    /** Creates the exception for map output {@code mapId} of shuffle {@code shuffleId}. */
    public MissingShuffleOutputException(int shuffleId, int mapId) {
        super("Shuffle " + shuffleId + " has no output for map partition " + mapId
                + " (lost or not yet computed); the map stage will be re-run");
        this.shuffleId = shuffleId;
        this.mapId = mapId;
    }

    /**
     * Creates the exception for map output {@code mapId} of shuffle {@code shuffleId}, which a reader
     * found unusable for {@code reason} (kept as {@code cause}) and removed.
     */
    public MissingShuffleOutputException(int shuffleId, int mapId, String reason, Throwable cause) {
        super("Shuffle " + shuffleId + " map output " + mapId + " is unusable and was removed (" + reason
                + "); the map stage will re-run that map task", cause);
        this.shuffleId = shuffleId;
        this.mapId = mapId;
    }

    /** The shuffle whose output is missing. */
    public int shuffleId() {
        return shuffleId;
    }

    /** The map partition whose output is missing. */
    public int mapId() {
        return mapId;
    }
}
