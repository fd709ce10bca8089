package dev.kindling.internal.shuffle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The driver's record of where every map output lives (Spark's {@code MapOutputTrackerMaster}):
 * for each (shuffle id, map partition) the {@link MapStatus} its map task returned, that is the
 * executor holding it and its size per reduce partition.
 *
 * <ol>
 *   <li>The scheduler registers a status when a map task succeeds; a later success of the same map
 *       partition (a re-run) replaces it.</li>
 *   <li>A map stage is complete when every map partition has a status; the scheduler runs only the
 *       partitions that have none ({@link #missingMapOutputs}).</li>
 *   <li>A reduce task asks for the statuses of its shuffle ({@link #statuses}) and fetches each
 *       output by location. When a fetch fails, the scheduler forgets that one output
 *       ({@link #unregisterMapOutput}); when an executor is lost, every output it held
 *       ({@link #removeOutputsOnExecutor}).</li>
 *   <li>{@link #unregisterShuffle} forgets a shuffle whose output was removed.</li>
 *   <li>Reduce locality (Spark's {@code getPreferredLocationsForShuffle}): a reduce task prefers the
 *       executors that hold at least {@value #REDUCE_LOCALITY_FRACTION} of the bytes it reads, computed from the
 *       recorded sizes ({@link #reduceLocations}); only for shuffles with fewer than
 *       {@value #REDUCE_LOCALITY_MAX_TASKS} map and reduce partitions, and only when
 *       {@value #REDUCE_LOCALITY_ENABLED} is true (the default).</li>
 * </ol>
 *
 * <p>Thread safety: every method may be called from any thread (the scheduler's event thread
 * registers and unregisters; reduce tasks read). A reader sees each map output's latest status or
 * none; a snapshot may mix statuses from before and after a concurrent change, which a fetch
 * failure then corrects.
 */
public final class MapOutputTracker implements MapStatusLookup {

    /** Whether reduce tasks prefer the executors holding most of their input (default true, as Spark's). */
    public static final String REDUCE_LOCALITY_ENABLED = "kindling.shuffle.reduceLocality.enabled";
    /** The share of a reduce partition's input bytes an executor must hold to be preferred (Spark's). */
    public static final double REDUCE_LOCALITY_FRACTION = 0.2;
    /** Map and reduce partition counts from which no reduce preference is computed (Spark's thresholds). */
    public static final int REDUCE_LOCALITY_MAX_TASKS = 1000;

    private final ConcurrentHashMap<Integer, AtomicReferenceArray<MapStatus>> shuffles = new ConcurrentHashMap<>();

    /** Records the output of map partition {@code mapId} of a shuffle with {@code numMaps} map partitions. */
    public void registerMapOutput(int shuffleId, int numMaps, int mapId, MapStatus status) {
        Objects.requireNonNull(status, "status");
        if (mapId < 0 || mapId >= numMaps) {
            throw new IllegalArgumentException("Map partition " + mapId + " is outside shuffle " + shuffleId
                    + "'s 0.." + (numMaps - 1));
        }
        AtomicReferenceArray<MapStatus> outputs = shuffles.computeIfAbsent(shuffleId,
                id -> new AtomicReferenceArray<>(numMaps));
        if (outputs.length() != numMaps) {
            throw new IllegalStateException("Shuffle " + shuffleId + " was registered with " + outputs.length()
                    + " map partitions, now " + numMaps + "; a shuffle id must not be reused");
        }
        outputs.set(mapId, status);
    }

    /**
     * Forgets the output of map partition {@code mapId} if it is on executor {@code executorId} (any
     * executor when null); returns whether one was forgotten. An output registered again since the
     * failure on another executor is kept.
     */
    public boolean unregisterMapOutput(int shuffleId, int mapId, String executorId) {
        AtomicReferenceArray<MapStatus> outputs = shuffles.get(shuffleId);
        if (outputs == null || mapId < 0 || mapId >= outputs.length()) {
            return false;
        }
        while (true) {
            MapStatus status = outputs.get(mapId);
            if (status == null || (executorId != null && !executorId.equals(status.location().executorId()))) {
                return false;
            }
            if (outputs.compareAndSet(mapId, status, null)) {
                return true;
            }
        }
    }

    /** Forgets every map output held by executor {@code executorId}; returns how many were forgotten. */
    public int removeOutputsOnExecutor(String executorId) {
        Objects.requireNonNull(executorId, "executorId");
        int removed = 0;
        for (var e : shuffles.entrySet()) {
            AtomicReferenceArray<MapStatus> outputs = e.getValue();
            for (int m = 0; m < outputs.length(); m++) {
                if (unregisterMapOutput(e.getKey(), m, executorId)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** The map partitions in {@code [0, numMaps)} of a shuffle that have no registered output. */
    public int[] missingMapOutputs(int shuffleId, int numMaps) {
        AtomicReferenceArray<MapStatus> outputs = shuffles.get(shuffleId);
        int[] missing = new int[numMaps];
        int n = 0;
        for (int m = 0; m < numMaps; m++) {
            if (outputs == null || m >= outputs.length() || outputs.get(m) == null) {
                missing[n++] = m;
            }
        }
        return Arrays.copyOf(missing, n);
    }

    /** A snapshot of the statuses of map partitions {@code [0, numMaps)}; an entry is null where none is registered. */
    @Override
    public MapStatus[] statuses(int shuffleId, int numMaps) {
        AtomicReferenceArray<MapStatus> outputs = shuffles.get(shuffleId);
        MapStatus[] out = new MapStatus[numMaps];
        for (int m = 0; outputs != null && m < numMaps && m < outputs.length(); m++) {
            out[m] = outputs.get(m);
        }
        return out;
    }

    /**
     * The executors holding at least {@value #REDUCE_LOCALITY_FRACTION} of the bytes reduce partition
     * {@code reduceId} reads from the registered outputs of map partitions {@code [0, numMaps)}, most
     * bytes first; empty when the shuffle has {@value #REDUCE_LOCALITY_MAX_TASKS} or more map or reduce
     * partitions ({@code numReduces}), or when nothing registered has bytes for that partition. A map
     * partition without a registered output is skipped (its map task may still be running).
     */
    public List<ExecutorLocation> reduceLocations(int shuffleId, int numMaps, int reduceId, int numReduces) {
        AtomicReferenceArray<MapStatus> outputs = shuffles.get(shuffleId);
        if (outputs == null || numMaps >= REDUCE_LOCALITY_MAX_TASKS || numReduces >= REDUCE_LOCALITY_MAX_TASKS
                || reduceId < 0 || reduceId >= numReduces) {
            return List.of();
        }
        Map<ExecutorLocation, Long> bytes = new LinkedHashMap<>();
        long total = 0;
        for (int m = 0; m < numMaps && m < outputs.length(); m++) {
            MapStatus status = outputs.get(m);
            long size = status == null || reduceId >= status.sizes().length ? 0 : status.size(reduceId);
            if (size > 0) {
                bytes.merge(status.location(), size, Long::sum);
                total += size;
            }
        }
        List<ExecutorLocation> preferred = new ArrayList<>();
        for (Map.Entry<ExecutorLocation, Long> e : bytes.entrySet()) {
            if ((double) e.getValue() / total >= REDUCE_LOCALITY_FRACTION) {
                preferred.add(e.getKey());
            }
        }
        preferred.sort((a, b) -> Long.compare(bytes.get(b), bytes.get(a)));
        return preferred;
    }

    /**
     * The value of {@value #REDUCE_LOCALITY_ENABLED} in {@code conf}: {@code true} (the default) or
     * {@code false}; anything else is an error naming the key and its value.
     */
    public static boolean reduceLocalityEnabled(Map<String, String> conf) {
        String value = conf.getOrDefault(REDUCE_LOCALITY_ENABLED, "true").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(REDUCE_LOCALITY_ENABLED + " must be true or false, got \""
                    + conf.get(REDUCE_LOCALITY_ENABLED) + "\"");
        };
    }

    /** Forgets every output of a shuffle. */
    public void unregisterShuffle(int shuffleId) {
        shuffles.remove(shuffleId);
    }

    /** Number of shuffles with registered outputs (or registered and not yet removed). */
    public int shuffleCount() {
        return shuffles.size();
    }
}
