package dev.kindling.internal.shuffle;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a shuffle-map task reports when its output is committed: the executor that holds the output
 * and its size in bytes for each reduce partition (0 means the reducer has no records there and
 * need not fetch it). The map task returns it as its result; the driver's {@link MapOutputTracker}
 * keeps it until the output is lost or the shuffle is removed.
 *
 * <p>Sizes are the bytes a remote reducer would fetch for outputs on disk, and the estimated heap
 * bytes for outputs held in memory.
 *
 * @param location where the output lives
 * @param sizes    bytes per reduce partition; not modified after construction
 */
public record MapStatus(ExecutorLocation location, long[] sizes) implements Serializable {

    /** Checks the parts. */
    public MapStatus {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(sizes, "sizes");
    }

    /** Bytes of reduce partition {@code reduceId} in this output. */
    public long size(int reduceId) {
        return sizes[reduceId];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapStatus m && location.equals(m.location) && Arrays.equals(sizes, m.sizes);
    }

    @Override
    public int hashCode() {
        return 31 * location.hashCode() + Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return "MapStatus[" + location + ", " + sizes.length + " reduce partitions, "
                + Arrays.stream(sizes).sum() + " bytes]";
    }
}
