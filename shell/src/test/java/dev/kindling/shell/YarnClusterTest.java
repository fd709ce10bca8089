package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --master yarn} on real servers: Hadoop's in-process MiniDFSCluster (one data node) and
 * MiniYARNCluster (one node manager, FIFO scheduler), started once for the class. Executors run in YARN
 * containers started by Kindling's application master, with the driver's class path staged on HDFS as
 * local resources; results are compared with an independent java.util.stream computation. Runs in the
 * shell module's {@code hdfs-test} execution, which has Hadoop's jars (see shell/pom.xml).
 */
@Tag("slow")
class YarnClusterTest {

    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};

    @TempDir
    static Path base;

    /** Hadoop's mini clusters, reached reflectively: their jar is on the class path of this test's run only. */
    private static Object dfs;
    private static Object yarn;
    private static FileSystem fs;
    private static String root;
    private static Configuration yarnConf;

    @BeforeAll
    static void startClusters() throws Exception {
        Configuration conf = new Configuration();
        conf.set("hdfs.minidfs.basedir", base.resolve("dfs").toString());
        Class<?> builderType = Class.forName("org.apache.hadoop.hdfs.MiniDFSCluster$Builder");
        Object builder = builderType.getConstructor(Configuration.class).newInstance(conf);
        builderType.getMethod("numDataNodes", int.class).invoke(builder, 1);
        dfs = builderType.getMethod("build").invoke(builder);
        dfs.getClass().getMethod("waitActive").invoke(dfs);
        fs = (FileSystem) dfs.getClass().getMethod("getFileSystem").invoke(dfs);
        root = fs.getUri().toString();

        Configuration yc = new Configuration(conf);
        yc.set("fs.defaultFS", root);
        yc.set("yarn.resourcemanager.scheduler.class",
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        yc.setInt("yarn.scheduler.minimum-allocation-mb", 128);
        yc.setInt("yarn.nodemanager.resource.memory-mb", 4096);
        yc.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        yc.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        yc.setFloat("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.5f);
        Class<?> miniYarn = Class.forName("org.apache.hadoop.yarn.server.MiniYARNCluster");
        yarn = miniYarn.getConstructor(String.class, int.class, int.class, int.class)
                .newInstance("kindling-yarn-test", 1, 1, 1);
        miniYarn.getMethod("init", Configuration.class).invoke(yarn, yc);
        miniYarn.getMethod("start").invoke(yarn);
        yarnConf = (Configuration) miniYarn.getMethod("getConfig").invoke(yarn);
    }

    @AfterAll
    static void stopClusters() throws Exception {
        if (yarn != null) {
            yarn.getClass().getMethod("stop").invoke(yarn);
        }
        if (fs != null) {
            fs.close();
        }
        if (dfs != null) {
            dfs.getClass().getMethod("shutdown", boolean.class).invoke(dfs, true);
        }
    }

    /** A client-mode context on the mini cluster with {@code executors} executors of one core and 256 MiB of heap. */
    private static KindlingContext yarnContext(int executors, Map<String, String> extra) {
        Kindling.Builder b = Kindling.builder().master("yarn").appName("yarn-test")
                .config("kindling.ui.showConsoleProgress", "false")
                .config("kindling.executor.instances", Integer.toString(executors))
                .config("kindling.executor.cores", "1")
                .config("kindling.executor.memory", "256m")
                .config("kindling.executor.memoryOverhead", "128m")
                .config("kindling.yarn.am.memory", "128m");
        for (String key : new String[] {"fs.defaultFS", "yarn.resourcemanager.address", "yarn.resourcemanager.scheduler.address"}) {
            b.config("kindling.hadoop." + key, yarnConf.get(key));
        }
        extra.forEach(b::config);
        return b.build();
    }

    private static List<String> lines(int n, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder line = new StringBuilder();
            int words = random.nextInt(8);
            for (int w = 0; w < words; w++) {
                line.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static void writeLines(String path, List<String> lines) throws IOException {
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), false)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> readDir(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) {
            if (!s.getPath().getName().startsWith("part-")) {
                continue;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(s.getPath()), StandardCharsets.UTF_8))) {
                in.lines().forEach(out::add);
            }
        }
        return out;
    }

    private static Map<String, Long> expectedCounts(List<String> lines) {
        return lines.stream().flatMap(l -> Arrays.stream(l.split(" "))).filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static List<ProcessHandle> containerProcesses() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("dev.kindling.internal."))
                .filter(p -> p.info().commandLine().orElse("").matches(".*(ExecutorProcess|ApplicationMaster).*"))
                .toList();
    }

    @Test
    void wordCount_inClientMode_withTwoExecutorContainers_matchesAnIndependentCount() throws Exception {
        List<String> input = lines(3_000, 7);
        writeLines(root + "/wc/in/a.txt", input.subList(0, 1_500));
        writeLines(root + "/wc/in/b.txt", input.subList(1_500, input.size()));
        String out = root + "/wc/out";
        try (KindlingContext kc = yarnContext(2, Map.of())) {
            kc.textFile(root + "/wc/in", 4)
                    .flatMap(l -> Arrays.stream(l.split(" ")).filter(w -> !w.isEmpty()).iterator())
                    .mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum, 3)
                    .map(p -> p.key() + "\t" + p.value())
                    .saveAsTextFile(out);
        }
        Map<String, Long> actual = new TreeMap<>();
        for (String line : readDir(out)) {
            String[] kv = line.split("\t");
            assertFalse(actual.containsKey(kv[0]), "word " + kv[0] + " counted twice");
            actual.put(kv[0], Long.parseLong(kv[1]));
        }
        assertEquals(expectedCounts(input), actual);
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
        // close() ended the application: no container process is left, and its staging directory is gone.
        assertEquals(List.of(), containerProcesses());
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging"))
                && fs.listStatus(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging")).length > 0);
    }
}
