package dev.kindling.internal.cluster;

import dev.kindling.internal.executor.OutputCommits;
import dev.kindling.internal.network.FetchResult;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.shuffle.MapStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an executor process gives its {@link TaskSink}: who it is, where it may write, the application's
 * configuration from the driver, a class loader that fetches missing classes from the driver, and the
 * way back to the driver (status updates, broadcast fetches), and block fetches from other processes of
 * the application. Thread-safe.
 */
public final class ExecutorContext {

    private final String executorId;
    private final int cores;
    private final Path scratchDir;
    private final Map<String, String> conf;
    private final ClassLoader classLoader;
    private final TransportClient driver;
    private final PeerClients peers;
    private final InetSocketAddress serverAddress;

    ExecutorContext(String executorId, int cores, Path scratchDir, Map<String, String> conf, ClassLoader classLoader,
                    TransportClient driver, PeerClients peers, InetSocketAddress serverAddress) {
        this.executorId = executorId;
        this.cores = cores;
        this.scratchDir = scratchDir;
        this.conf = Map.copyOf(conf);
        this.classLoader = classLoader;
        this.driver = driver;
        this.peers = peers;
        this.serverAddress = serverAddress;
    }

    /** This executor's id, as the driver named it. */
    public String executorId() {
        return executorId;
    }

    /** How many tasks may run at once. */
    public int cores() {
        return cores;
    }

    /** A directory only this executor writes to (spills, shuffle files); the driver deletes it when the executor stops. */
    public Path scratchDir() {
        return scratchDir;
    }

    /** The application's configuration, as the driver sent it at registration. */
    public Map<String, String> conf() {
        return conf;
    }

    /**
     * The loader for task code: the process's class path first, then classes the driver serves
     * (classes defined in the shell, for one).
     */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /** Sends a task's status update (opaque bytes) to the driver, without waiting; fails if the driver is gone. */
    public void sendStatus(byte[] update) throws IOException {
        driver.send(new ClusterMessage.StatusUpdate(executorId, update).encode());
    }

    /**
     * Tells the driver which cached RDD partitions this executor stored and dropped (pairs of rdd id and
     * partition), waiting for its answer, so a status update sent after it finds the driver informed.
     */
    public void updateBlocks(int[] stored, int[] removed) throws IOException {
        driver.requestAndWait(new ClusterMessage.UpdateBlocks(executorId, stored, removed).encode());
    }

    /**
     * Fetches block {@code blockId} from the process whose server is at {@code address} (another
     * executor, or the driver at {@link #driverAddress()}) into {@code sink}, in chunks that each fit in
     * a frame, over an authenticated connection kept for later fetches. A block the server does not have
     * is an IOException naming it.
     */
    public FetchResult fetchBlock(InetSocketAddress address, String blockId, OutputStream sink) throws IOException {
        return peers.get(address).fetch(blockId, sink);
    }

    /** The driver's server address, for {@link #fetchBlock} of blocks the driver serves. */
    public InetSocketAddress driverAddress() {
        return (InetSocketAddress) driver.remoteAddress();
    }

    /** The address of this executor's own server (task messages, block fetches by other processes). */
    public InetSocketAddress serverAddress() {
        return serverAddress;
    }

    /**
     * Asks the driver's map output tracker where the {@code numMaps} map outputs of shuffle
     * {@code shuffleId} live, waiting for the answer; an entry is null where none is registered.
     */
    public MapStatus[] fetchMapStatuses(int shuffleId, int numMaps) throws IOException {
        byte[] answer = driver.requestAndWait(new ClusterMessage.FetchMapStatuses(shuffleId, numMaps).encode());
        MapStatus[] statuses = ClusterMessage.decode(answer, ClusterMessage.MapStatuses.class).statuses();
        if (statuses.length != numMaps) {
            throw new IOException("The driver answered " + statuses.length + " map statuses for shuffle " + shuffleId
                    + " of " + numMaps + " map partitions");
        }
        return statuses;
    }

    /**
     * The driver's output commit coordinator, asked over RPC: whether this executor's task attempts
     * may write a save job's files and commit a partition's output. A driver that cannot be asked is
     * an {@link IllegalStateException} naming the question (the attempt then fails and is retried).
     */
    public OutputCommits outputCommits() {
        return new OutputCommits() {
            @Override
            public boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
                return ask(new ClusterMessage.CanCommit(stageId, stageAttempt, partition, attemptNumber),
                        "whether attempt " + attemptNumber + " of partition " + partition + " of stage " + stageId
                                + " may commit its output");
            }

            @Override
            public boolean enter(String jobTag) {
                return ask(new ClusterMessage.EnterOutput(jobTag), "whether save job " + jobTag + " still runs");
            }

            @Override
            public void exit(String jobTag) {
                try {
                    driver.requestAndWait(new ClusterMessage.ExitOutput(jobTag).encode());
                } catch (IOException e) {
                    throw new IllegalStateException("Could not tell the driver that a writer of save job " + jobTag
                            + " ended: " + e.getMessage(), e);
                }
            }
        };
    }

    private boolean ask(ClusterMessage question, String what) {
        try {
            byte[] answer = driver.requestAndWait(question.encode());
            return ClusterMessage.decode(answer, ClusterMessage.OutputAnswer.class).allowed();
        } catch (IOException e) {
            throw new IllegalStateException("Could not ask the driver " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fetches a broadcast variable's serialized value from the driver by id: block {@code broadcast_<id>}
     * of the driver's server, in chunks that each fit in a frame (so a broadcast of any size travels),
     * into one array of its size.
     */
    public byte[] fetchBroadcast(long broadcastId) throws IOException {
        return peers.get(driverAddress()).fetchBytes(BroadcastSource.blockId(broadcastId));
    }
}
