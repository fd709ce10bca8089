package dev.kindling.internal.shuffle;

/**
 * Thrown by a shuffle read when a map output it needs is missing (lost or never written) or
 * unusable (its file is damaged: then the cause is the {@code CorruptFileException} naming the
 * file). The scheduler reacts by re-running the map stage that produces it, not by counting a task
 * failure. A reader that finds several outputs missing names them all ({@link #mapIds()}), so one failed
 * attempt has all of them recomputed (one at a time, four lost outputs would use up the stage's
 * consecutive attempts).
 */
public final class MissingShuffleOutputException extends RuntimeException {

    private final int shuffleId;
    private final int[] mapIds;

    /** Creates the exception for map output {@code mapId} of shuffle {@code shuffleId}. */
    public MissingShuffleOutputException(int shuffleId, int mapId) {
        super("Shuffle " + shuffleId + " has no output for map partition " + mapId
                + " (lost or not yet computed); the map stage will be re-run");
        this.shuffleId = shuffleId;
        this.mapIds = new int[] {mapId};
    }

    /**
     * Creates the exception for the map outputs {@code mapIds} (at least one) of shuffle {@code shuffleId},
     * which a reader found missing or unusable; {@code cause} is the first one's damage, or null.
     */
    public MissingShuffleOutputException(int shuffleId, int[] mapIds, Throwable cause) {
        super("Shuffle " + shuffleId + " has no usable output for map partition" + (mapIds.length == 1 ? " " + mapIds[0]
                : "s " + java.util.Arrays.toString(mapIds)) + " (lost, damaged or not yet computed); the map stage will"
                + " re-run " + (mapIds.length == 1 ? "it" : "them"), cause);
        if (mapIds.length == 0) {
            throw new IllegalArgumentException("at least one missing map output");
        }
        this.shuffleId = shuffleId;
        this.mapIds = mapIds.clone();
    }

    /**
     * Creates the exception for map output {@code mapId} of shuffle {@code shuffleId}, which a reader
     * found unusable for {@code reason} (kept as {@code cause}) and removed.
     */
    public MissingShuffleOutputException(int shuffleId, int mapId, String reason, Throwable cause) {
        super("Shuffle " + shuffleId + " map output " + mapId + " is unusable and was removed (" + reason
                + "); the map stage will re-run that map task", cause);
        this.shuffleId = shuffleId;
        this.mapIds = new int[] {mapId};
    }

    /** The shuffle whose output is missing. */
    public int shuffleId() {
        return shuffleId;
    }

    /** The (first) map partition whose output is missing. */
    public int mapId() {
        return mapIds[0];
    }

    /** Every map partition whose output the reader found missing, in the order it asked for them. */
    public int[] mapIds() {
        return mapIds.clone();
    }
}
