package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.internal.cluster.ClusterKeys;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskLocality;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's locality check on two hosts of one machine: Hadoop's MiniDFSCluster with two data nodes named
 * {@code 127.0.0.1} and {@code 127.0.0.2} (replication 1, 1 MiB blocks) and a {@code local-cluster[2,1,512]}
 * context whose executors bind to, and register with, those two addresses
 * ({@code kindling.localCluster.executorHosts}). A file of three blocks, placed on the second, second and
 * first node, is read with {@code textFile} in one split per block; where each task ran comes from the task
 * events (executor id and locality) and the executors' hosts from their {@code ExecutorAdded} events, and
 * is checked against the file system's own {@code getFileBlockLocations}: every task ran NODE_LOCAL on an
 * executor whose host holds its block; each task's process also reports its own bind host; the lines
 * counted equal those written. One HDFS cluster and one context for the class. Runs in the shell module's
 * {@code hdfs-test} execution ({@code -Dkindling.hadoopTests=HdfsLocalityTest} runs it alone).
 */
@Tag("slow")
class HdfsLocalityTest {

    private static final int BLOCK = 1 << 20;
    /** The two data nodes' host names, which are also the executors' bind addresses (executor 0, executor 1). */
    private static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2");
    /**
     * The node each block is placed on (as a favored node): a file whose tasks need both executors, in an order
     * that dispatching without locality (partition 0 to executor 0, 1 to 1, 2 to the first free) would get wrong,
     * and where executor 0, idle after its one task, must leave the second block's task to executor 1.
     */
    private static final int[] PLACEMENT = {1, 1, 0};

    @TempDir
    static Path base;

    /** Hadoop's MiniDFSCluster, reached reflectively: its jar is on the class path of this test's run only. */
    private static Object cluster;
    private static DistributedFileSystem fs;
    private static KindlingContext kc;

    @BeforeAll
    static void start() throws Exception {
        Configuration conf = new Configuration();
        conf.set("hdfs.minidfs.basedir", base.resolve("dfs").toString());
        conf.setLong("dfs.blocksize", BLOCK);
        conf.setInt("dfs.replication", 1);
        Class<?> builderType = Class.forName("org.apache.hadoop.hdfs.MiniDFSCluster$Builder");
        Object builder = builderType.getConstructor(Configuration.class).newInstance(conf);
        builderType.getMethod("numDataNodes", int.class).invoke(builder, HOSTS.size());
        // Each data node reports its own host name (dfs.datanode.hostname), which block locations name.
        builderType.getMethod("hosts", String[].class).invoke(builder, (Object) HOSTS.toArray(String[]::new));
        cluster = builderType.getMethod("build").invoke(builder);
        cluster.getClass().getMethod("waitActive").invoke(cluster);
        fs = (DistributedFileSystem) cluster.getClass().getMethod("getFileSystem").invoke(cluster);

        kc = Kindling.builder().master("local-cluster[2,1,512]")
                .config(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, String.join(",", HOSTS))
                // Long enough that no task on a loaded machine gives up its node and runs ANY.
                .config("kindling.locality.wait", "60s")
                .config(KindlingConf.EXTRA_LISTENERS, Recorder.class.getName())
                .config(KindlingConf.SHOW_CONSOLE_PROGRESS, "false")
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (kc != null) {
                kc.close();
            }
        } finally {
            if (fs != null) {
                fs.close();
            }
            if (cluster != null) {
                cluster.getClass().getMethod("shutdown", boolean.class).invoke(cluster, true);
            }
        }
    }

    /**
     * Records the executors' hosts and the successful task ends of the context it is created for (made by the
     * context from {@code kindling.extraListeners}, so that it hears the executors register).
     */
    public static final class Recorder implements SchedulerListener {
        static final Map<String, String> HOST_OF = new ConcurrentHashMap<>();
        static final List<SchedulerEvent.TaskInfo> ENDS = new CopyOnWriteArrayList<>();

        /** Made by the context at start. */
        public Recorder() {
        }

        @Override
        public void onExecutorAdded(SchedulerEvent.ExecutorAdded event) {
            HOST_OF.put(event.executorId(), event.host());
        }

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            if (event.succeeded()) {
                ENDS.add(event.task());
            }
        }
    }

    /** What a task saw: its partition, the lines it read and the bind host of the executor process it ran in. */
    private record Seen(int partition, long lines, String processHost) implements java.io.Serializable {
    }

    @Test
    void eachTaskOfAThreeBlockFileRunsNodeLocalOnAnExecutorWhoseHostHoldsItsBlock() throws Exception {
        byte[] data = lines(new Random(13), 3 * BLOCK - 300);
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/locality/three-blocks.txt");
        writePlaced(file, data);

        // The reference: where the file system says each block is.
        FileStatus status = fs.getFileStatus(file);
        BlockLocation[] blocks = fs.getFileBlockLocations(status, 0, status.getLen());
        assertEquals(3, blocks.length, "a file of " + data.length + " bytes in " + BLOCK + "-byte blocks");
        Set<String> holders = new HashSet<>();
        for (int b = 0; b < blocks.length; b++) {
            assertEquals((long) b * BLOCK, blocks[b].getOffset(), "block " + b);
            holders.addAll(Arrays.asList(blocks[b].getHosts()));
        }
        assertEquals(new HashSet<>(HOSTS), holders, "both data nodes hold blocks of the file (favored nodes: "
                + Arrays.toString(PLACEMENT) + "); the locations: " + Arrays.toString(blocks));

        Recorder.ENDS.clear();
        List<Seen> seen = kc.textFile(fs.getUri() + file.toString(), 1).mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return List.of(new Seen(p, n, ownBindHost())).iterator();
        }, true).collect();

        assertEquals(Map.of("0", HOSTS.get(0), "1", HOSTS.get(1)), withoutDriver(Recorder.HOST_OF),
                "each executor registered with its own host");
        assertEquals(3, seen.size(), "one partition per block: " + seen);
        assertEquals(3, Recorder.ENDS.size(), "one successful task per partition: " + Recorder.ENDS);
        long[] expectedLines = linesPerSplit(data);
        Map<String, Integer> tasksPerHost = new TreeMap<>();
        Map<String, Integer> blocksPerHost = new TreeMap<>();
        for (BlockLocation block : blocks) {
            blocksPerHost.merge(block.getHosts()[0], 1, Integer::sum);
        }
        for (SchedulerEvent.TaskInfo task : Recorder.ENDS) {
            int p = task.partition();
            String host = Recorder.HOST_OF.get(task.executorId());
            List<String> blockHosts = Arrays.asList(blocks[p].getHosts());
            assertTrue(blockHosts.contains(host), "partition " + p + " ran on executor " + task.executorId() + " at " + host
                    + ", but its block is on " + blockHosts);
            assertTrue(task.locality() == TaskLocality.NODE_LOCAL || task.locality() == TaskLocality.PROCESS_LOCAL,
                    "partition " + p + " ran " + task.locality());
            Seen s = seen.get(p);
            assertEquals(p, s.partition());
            assertEquals(host, s.processHost(), "partition " + p + ": the bind host of the process that ran it");
            assertEquals(expectedLines[p], s.lines(), "lines of partition " + p);
            tasksPerHost.merge(host, 1, Integer::sum);
        }
        assertEquals(blocksPerHost, tasksPerHost, "tasks per host, as blocks per node");
        assertEquals(Arrays.stream(expectedLines).sum(), seen.stream().mapToLong(Seen::lines).sum());
        assertEquals(count(data, (byte) '\n'), seen.stream().mapToLong(Seen::lines).sum(), "every line written, once");
    }

    /**
     * Writes {@code data} to {@code file} block by block, each block with its node of {@link #PLACEMENT} as the
     * favored node (a hint HDFS follows when that node can take the block), so the blocks are not left to
     * the writer's random choice among nodes of one address.
     */
    private static void writePlaced(org.apache.hadoop.fs.Path file, byte[] data) throws IOException {
        Map<String, InetSocketAddress> nodes = new TreeMap<>();
        for (DatanodeInfo d : fs.getDataNodeStats()) {
            nodes.put(d.getHostName(), new InetSocketAddress(d.getIpAddr(), d.getXferPort()));
        }
        assertEquals(new HashSet<>(HOSTS), nodes.keySet(), "the data nodes' host names");
        for (int b = 0; b * BLOCK < data.length; b++) {
            InetSocketAddress[] favored = {nodes.get(HOSTS.get(PLACEMENT[b]))};
            try (OutputStream out = b == 0
                    ? fs.create(file, FsPermission.getFileDefault(), false, 4096, (short) 1, BLOCK, null, favored)
                    : fs.append(file, EnumSet.of(CreateFlag.APPEND, CreateFlag.NEW_BLOCK), 4096, null, favored)) {
                out.write(data, b * BLOCK, Math.min(BLOCK, data.length - b * BLOCK));
            }
        }
    }

    /** Lines of random length (0 to 199 letters after a number), about {@code bytes} bytes, each ending in a newline. */
    private static byte[] lines(Random random, int bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < bytes - 250; i++) {
            text.append(i).append(' ').append("x".repeat(random.nextInt(200))).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The lines of each {@link #BLOCK}-byte split by Hadoop's rule, computed here: a line starting at byte s
     * belongs to split 0 if s = 0, else to the split p with p × BLOCK &lt; s ≤ (p + 1) × BLOCK (a reader skips
     * through its first newline and reads the line that starts at its end).
     */
    private static long[] linesPerSplit(byte[] data) {
        long[] lines = new long[(data.length + BLOCK - 1) / BLOCK];
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                lines[start == 0 ? 0 : (start - 1) / BLOCK]++;
                start = i + 1;
            }
        }
        return lines;
    }

    private static long count(byte[] data, byte b) {
        long n = 0;
        for (byte x : data) {
            n += x == b ? 1 : 0;
        }
        return n;
    }

    /** The bind host of the executor process this runs in, from the configuration its driver gave it. */
    private static String ownBindHost() {
        String conf = System.getenv("KINDLING_EXECUTOR_CONF");
        for (String line : conf == null ? new String[0] : conf.split("\n")) {
            if (line.startsWith(ClusterKeys.EXECUTOR_HOST + "=")) {
                return line.substring(ClusterKeys.EXECUTOR_HOST.length() + 1);
            }
        }
        return "(none)";
    }

    private static Map<String, String> withoutDriver(Map<String, String> hosts) {
        Map<String, String> out = new TreeMap<>(hosts);
        out.remove(SchedulerEvent.TaskInfo.DRIVER);
        return out;
    }
}
