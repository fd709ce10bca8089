package dev.kindling.internal.shuffle;

/**
 * The id of one reduce bucket of one map output, as peers fetch it: {@code shuffle_<shuffle>_<map>_<reduce>}
 * (Spark's {@code ShuffleBlockId} names it the same way).
 *
 * @param shuffleId the shuffle
 * @param mapId     the map partition that wrote the output
 * @param reduceId  the reduce partition (bucket)
 */
public record ShuffleBlockId(int shuffleId, int mapId, int reduceId) {

    private static final String PREFIX = "shuffle_";

    /** The id as a string, the name a fetch asks for. */
    public String name() {
        return PREFIX + shuffleId + "_" + mapId + "_" + reduceId;
    }

    /** Parses {@link #name()}; returns null for any other string (a block of another kind). */
    public static ShuffleBlockId parse(String name) {
        if (!name.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = name.substring(PREFIX.length()).split("_", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            int s = Integer.parseInt(parts[0]);
            int m = Integer.parseInt(parts[1]);
            int r = Integer.parseInt(parts[2]);
            return s < 0 || m < 0 || r < 0 ? null : new ShuffleBlockId(s, m, r);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
