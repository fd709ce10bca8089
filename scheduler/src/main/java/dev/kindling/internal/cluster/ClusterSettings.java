package dev.kindling.internal.cluster;

import dev.kindling.internal.executor.OutputCommits;
import dev.kindling.internal.network.BlockSource;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.shuffle.MapStatusLookup;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a driver needs to start a {@link LocalCluster}.
 *
 * @param master      how many executors, with how many cores and how much heap
 * @param conf        the application's {@code kindling.*} configuration: read here (network keys,
 *                    {@code kindling.driver.host}, {@code kindling.executor.host},
 *                    {@code kindling.executor.heartbeatIntervalMs}) and sent to executors at registration
 * @param localDir    the directory executors' scratch directories are made in ({@code executor-<id>}), such
 *                    as the context's scratch directory
 * @param taskSink    the class name of the executors' {@link TaskSink.Factory} (on the class path they share)
 * @param classes     where executors' missing classes come from
 * @param broadcasts  where broadcast bytes come from
 * @param blocks      the blocks the driver's server serves to executors (large broadcasts, for one)
 * @param mapStatuses where executors' reducers learn where map outputs live (the scheduler's tracker)
 * @param outputCommits the driver's output commit coordinator, which executors' save tasks ask
 */
public record ClusterSettings(LocalClusterMaster master, Map<String, String> conf, Path localDir, String taskSink,
                              ClassSource classes, BroadcastSource broadcasts, BlockSource blocks,
                              MapStatusLookup mapStatuses, OutputCommits outputCommits) {

    /** A driver that runs no saves: every writer is refused, naming why. */
    private static final OutputCommits NO_SAVES = new OutputCommits() {
        @Override
        public boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
            return false;
        }

        @Override
        public boolean enter(String jobTag) {
            return false;
        }

        @Override
        public void exit(String jobTag) {
        }
    };

    /** Checks for nulls and copies the configuration. */
    public ClusterSettings {
        Objects.requireNonNull(master, "master");
        conf = Map.copyOf(conf);
        Objects.requireNonNull(localDir, "localDir");
        Objects.requireNonNull(taskSink, "taskSink");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(broadcasts, "broadcasts");
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(mapStatuses, "mapStatuses");
        Objects.requireNonNull(outputCommits, "outputCommits");
    }

    /** Settings that serve no classes, broadcasts or blocks. */
    public static ClusterSettings of(LocalClusterMaster master, Map<String, String> conf, Path localDir, String taskSink) {
        return new ClusterSettings(master, conf, localDir, taskSink, ClassSource.NONE, BroadcastSource.NONE, BlockSource.NONE,
                (shuffleId, numMaps) -> new MapStatus[numMaps], NO_SAVES);
    }

    /** A copy that serves executors' missing classes from {@code source}. */
    public ClusterSettings withClasses(ClassSource source) {
        return new ClusterSettings(master, conf, localDir, taskSink, source, broadcasts, blocks, mapStatuses, outputCommits);
    }

    /** A copy whose driver server serves {@code source}'s blocks to executors. */
    public ClusterSettings withBlocks(BlockSource source) {
        return new ClusterSettings(master, conf, localDir, taskSink, classes, broadcasts, source, mapStatuses, outputCommits);
    }

    /** A copy whose executors learn map output locations from {@code lookup}. */
    public ClusterSettings withMapStatuses(MapStatusLookup lookup) {
        return new ClusterSettings(master, conf, localDir, taskSink, classes, broadcasts, blocks, lookup, outputCommits);
    }

    /** A copy whose executors' save tasks ask {@code commits} before they write and commit. */
    public ClusterSettings withOutputCommits(OutputCommits commits) {
        return new ClusterSettings(master, conf, localDir, taskSink, classes, broadcasts, blocks, mapStatuses, commits);
    }

    /** A copy that serves broadcasts from {@code source}. */
    public ClusterSettings withBroadcasts(BroadcastSource source) {
        return new ClusterSettings(master, conf, localDir, taskSink, classes, source, blocks, mapStatuses, outputCommits);
    }
}
