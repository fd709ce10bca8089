package dev.kindling.internal.cluster;

import dev.kindling.internal.executor.Executor;
import dev.kindling.internal.executor.BroadcastCache;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.executor.ExecutorThreadPool;
import dev.kindling.internal.network.BlockSource;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.scheduler.backend.ResultBlock;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.shuffle.ShuffleBlockSource;
import dev.kindling.internal.shuffle.ShuffleReader;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import dev.kindling.internal.storage.block.BlockId;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task sink of a {@code local-cluster} executor process: the scheduler's {@link Executor} with an
 * {@link ExecutorEnv} of the process's own (memory budget from its heap, block manager, shuffle store
 * and spills under its scratch directory, Kryo serializer with the application's
 * {@code kindling.kryo.registrator}). Task descriptions arrive as bytes and are decoded with the
 * executor's class loader (classes the driver serves included); every status update goes back encoded.
 *
 * <p>A task result larger than {@code kindling.task.maxDirectResultSize} (or whose update would not fit in
 * a frame) does not travel in the status update: it is written to a file under the scratch directory
 * ({@link ResultBlocks}) and the update names the block; the driver fetches it in chunks from this
 * executor's server and then asks it to delete it. Broadcast values are fetched from the driver as
 * blocks, in chunks, and dropped when the driver asks ({@link #removeBroadcast}).
 *
 * <p>Reducers ask the driver's map output tracker for locations over RPC and fetch remote shuffle blocks
 * from the other executors' servers; this executor serves its own map outputs ({@link #blocks()}).
 *
 * <p>Thread safety: {@link #launch} and {@link #kill} are called on server handler threads; tasks run on
 * the sink's {@link ExecutorThreadPool}.
 */
public final class SchedulerTaskSink implements TaskSink {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerTaskSink.class);
    /** Configuration key of the fraction of the executor heap its memory manager may use (as the driver's). */
    private static final String MEMORY_FRACTION = "kindling.memory.fraction";
    private static final String KRYO_REGISTRATOR = "kindling.kryo.registrator";
    private static final String SHUFFLE_FORCE_DISK = "kindling.shuffle.forceDisk";
    /** Bytes a StatusUpdate message and its frame add around the encoded update, generously counted. */
    private static final int FRAME_OVERHEAD = 64;

    private final ExecutorContext context;
    private final ExecutorThreadPool pool;
    private final BlockManager blockManager;
    private final SpillingShuffleStore shuffleStore;
    private final ShuffleBlockSource blockSource;
    private final Executor executor;
    private final int maxFrameBytes;
    /** The largest encoded status update that fits in a frame with its message header. */
    private final int maxUpdateBytes;
    /**
     * Held while cached-block changes are reported and the status update that follows is sent, so no
     * task's end reaches the driver before the blocks that tasks stored before it.
     */
    private final Object reportLock = new Object();
    private final CachedBlockReporter blockReporter;
    /** Serialized results larger than this wait in a result block ({@code kindling.task.maxDirectResultSize}). */
    private final long maxDirectResultSize;
    private final ResultBlocks results;
    private final BroadcastCache broadcasts;

    private SchedulerTaskSink(ExecutorContext context) {
        this.context = context;
        Map<String, String> conf = context.conf();
        this.maxFrameBytes = NetworkConfig.fromMap(conf, null).maxFrameBytes();
        this.maxUpdateBytes = maxFrameBytes - FRAME_OVERHEAD - context.executorId().length() * 4;
        this.maxDirectResultSize = ClusterKeys.maxDirectResultSize(conf);
        MemoryManager memory = MemoryManager.ofHeapFraction(fraction(conf.get(MEMORY_FRACTION)));
        KryoSerializer serializer = KryoSerializer.builder().classLoader(context.classLoader())
                .registrators(conf.get(KRYO_REGISTRATOR)).build();
        Path dir = context.scratchDir();
        this.blockManager = new BlockManager(memory, serializer, dir.resolve("blocks"));
        this.shuffleStore = new SpillingShuffleStore(memory, serializer, dir.resolve("shuffle"),
                Boolean.parseBoolean(conf.getOrDefault(SHUFFLE_FORCE_DISK, "false").strip()));
        this.blockSource = new ShuffleBlockSource(shuffleStore, serializer);
        this.blockReporter = new CachedBlockReporter(blockManager);
        this.results = new ResultBlocks(dir.resolve("results"));
        InetSocketAddress own = context.serverAddress();
        ExecutorLocation self = new ExecutorLocation(context.executorId(), own.getAddress().getHostAddress(), own.getPort());
        ShuffleReader reader = new ShuffleReader(shuffleStore, this::mapStatuses, self, this::fetch, serializer);
        // Broadcasts come from the driver by id, once per executor (then cached); output commits are the
        // driver's coordinator's decisions, asked over RPC.
        this.broadcasts = new BroadcastCache(id -> {
            try {
                return context.fetchBroadcast(id);
            } catch (IOException e) {
                throw new IllegalStateException("Could not fetch broadcast " + id + " from the driver: " + e.getMessage(), e);
            }
        });
        ExecutorEnv env = new ExecutorEnv(context.executorId(), context.cores(), memory, blockManager, shuffleStore,
                serializer, dir, reader, context.outputCommits(), broadcasts);
        this.pool = new ExecutorThreadPool(context.cores());
        this.executor = new Executor(env, pool::submit, this::send, true);
    }

    /** Makes the sink of an executor process; named by the driver in its cluster settings. */
    public static final class Factory implements TaskSink.Factory {

        /** The factory executors instantiate by name. */
        public Factory() {
        }

        @Override
        public TaskSink create(ExecutorContext context) {
            return new SchedulerTaskSink(context);
        }
    }

    @Override
    public void launch(byte[] task) {
        TaskDescription description;
        try {
            description = TaskDescription.decode(task, context.classLoader());
        } catch (IOException e) {
            throw new UncheckedIOException("Executor " + context.executorId() + " got a task description it cannot "
                    + "decode (" + task.length + " bytes): " + e.getMessage(), e);
        }
        executor.launch(description);
    }

    @Override
    public void kill(long taskId, boolean interrupt, String reason) {
        executor.killTask(taskId, interrupt, reason);
    }

    @Override
    public int removeRdd(int rddId) {
        synchronized (reportLock) {
            int n = 0;
            for (BlockId.RDDBlock b : blockManager.rddBlocks()) {
                if (b.rddId() == rddId) {
                    n++;
                }
            }
            blockManager.removeRdd(rddId);
            blockReporter.forgetRdd(rddId);
            return n;
        }
    }

    @Override
    public BlockSource blocks() {
        return blockId -> ResultBlock.isResultBlockId(blockId) ? results.open(blockId) : blockSource.open(blockId);
    }

    @Override
    public void removeBlock(String blockId) {
        results.remove(blockId);
    }

    @Override
    public void removeBroadcast(long broadcastId) {
        broadcasts.invalidate(broadcastId);
    }

    @Override
    public void close() {
        List<String> stuck = pool.shutdown(5_000);
        if (!stuck.isEmpty()) {
            LOG.warn("Executor {} stops with task threads still running: {}", context.executorId(), stuck);
        }
        shuffleStore.close();
        blockManager.close();
        results.close();
    }

    /**
     * Sends a task's update, its result left in a block when it is larger than
     * {@code kindling.task.maxDirectResultSize} or the update would not fit in a frame; an update that
     * still does not fit (huge accumulator updates) is sent as a failure that says so.
     */
    private void send(StatusUpdate update) {
        StatusUpdate s = update.serialized();
        ResultBlock block = null;
        byte[] bytes = null;
        try {
            if (s.resultSize() > maxDirectResultSize) {
                block = results.put(s.taskId(), s.serializedResult());
                s = s.withResultBlock(block);
            } else {
                bytes = s.encode();
                if (bytes.length > maxUpdateBytes && s.serializedResult() != null) {
                    block = results.put(s.taskId(), s.serializedResult());
                    s = s.withResultBlock(block);
                    bytes = null;
                }
            }
        } catch (UncheckedIOException e) { // the result block could not be written (a full disk, say)
            s = StatusUpdate.failed(update.taskId(), update.thread(), e, false, Map.of(), update.metrics(), update.status());
            bytes = null;
        }
        if (bytes == null) {
            bytes = s.encode();
        }
        if (bytes.length > maxUpdateBytes) {
            if (block != null) {
                results.remove(block.blockId());
            }
            IllegalStateException tooLarge = new IllegalStateException("The status update of task " + update.taskId()
                    + " on executor " + context.executorId() + " is " + bytes.length + " bytes without its result (its "
                    + "accumulator updates and metrics), more than one network frame holds ("
                    + NetworkConfig.MAX_FRAME_BYTES + "=" + maxFrameBytes + "); raise " + NetworkConfig.MAX_FRAME_BYTES
                    + ", or accumulate smaller values");
            bytes = StatusUpdate.failed(update.taskId(), update.thread(), tooLarge, false, Map.of(), update.metrics(),
                    update.status()).encode();
        }
        try {
            if (!update.state().isFinal()) {
                context.sendStatus(bytes);
                return;
            }
            synchronized (reportLock) {
                reportBlockChanges();
                context.sendStatus(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Executor " + context.executorId() + " could not send " + update
                    + " to the driver: " + e.getMessage(), e);
        }
    }

    /**
     * Tells the driver which cached partitions came and went since the last report (a task's end is the
     * moment one may have). A report that fails is logged: locations are hints, and a task sent to an
     * executor without its block recomputes it there.
     */
    private void reportBlockChanges() {
        CachedBlockReporter.Changes changes = blockReporter.changes();
        if (changes.isEmpty()) {
            return;
        }
        try {
            context.updateBlocks(changes.stored(), changes.removed());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Executor {} could not tell the driver about {} stored and {} dropped cached partition(s); the driver "
                    + "may send their tasks elsewhere: {}", context.executorId(), changes.stored().length / 2,
                    changes.removed().length / 2, e.toString());
        }
    }

    private MapStatus[] mapStatuses(int shuffleId, int numMaps) {
        try {
            return context.fetchMapStatuses(shuffleId, numMaps);
        } catch (IOException e) {
            throw new UncheckedIOException("Executor " + context.executorId() + " could not ask the driver where the "
                    + numMaps + " map outputs of shuffle " + shuffleId + " are: " + e.getMessage(), e);
        }
    }

    private byte[] fetch(ExecutorLocation location, String blockId) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        context.fetchBlock(new InetSocketAddress(location.host(), location.port()), blockId, sink);
        return sink.toByteArray();
    }

    private static double fraction(String value) {
        if (value == null) {
            return 0.6;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MEMORY_FRACTION + " must be a number (got \"" + value + "\")", e);
        }
    }
}
