package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.internal.yarn.YarnKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
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

    /**
     * The container processes (application masters, executors) this test's node manager started that are
     * still alive, after giving YARN up to a minute to stop them (it does so asynchronously once the
     * application finished).
     */
    private static List<ProcessHandle> containerProcesses() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").matches(
                            ".*dev\\.kindling\\.internal\\.(cluster\\.ExecutorProcess|yarn\\.ApplicationMaster).*"))
                    .toList();
            if (left.isEmpty() || System.nanoTime() - deadline > 0) {
                return left;
            }
            Thread.sleep(200);
        }
    }

    /**
     * One client-mode application with two executor containers runs a word count from and to HDFS
     * (against an independent count) and then cached logistic-regression gradient descent, whose
     * weights match the same program's on {@code local[2]} to 1e-9 (the same application, so the
     * second check costs no second start of YARN containers).
     */
    @Test
    void wordCount_inClientMode_withTwoExecutorContainers_matchesAnIndependentCount() throws Exception {
        List<String> input = lines(3_000, 7);
        writeLines(root + "/wc/in/a.txt", input.subList(0, 1_500));
        writeLines(root + "/wc/in/b.txt", input.subList(1_500, input.size()));
        String out = root + "/wc/out";
        double[] onYarn;
        try (KindlingContext kc = yarnContext(2, Map.of())) {
            kc.textFile(root + "/wc/in", 4)
                    .flatMap(l -> Arrays.stream(l.split(" ")).filter(w -> !w.isEmpty()).iterator())
                    .mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum, 3)
                    .map(p -> p.key() + "\t" + p.value())
                    .saveAsTextFile(out);
            onYarn = cachedGradientDescent(kc);
        }
        double[] local;
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.ui.showConsoleProgress", "false")
                .build()) {
            local = cachedGradientDescent(kc);
        }
        assertEquals(local.length, onYarn.length);
        for (int j = 0; j < local.length; j++) {
            assertEquals(local[j], onYarn[j], 1e-9 * Math.max(1, Math.abs(local[j])), "weight " + j);
        }
        assertEquals(expectedCounts(input), readCounts(out));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
        // close() ended the application: no container process is left, and its staging directory is gone.
        assertEquals(List.of(), containerProcesses());
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging"))
                && fs.listStatus(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging")).length > 0);
    }

    /** Ten steps of logistic-regression gradient descent over 20,000 synthetic points, cached in 4 partitions. */
    private static double[] cachedGradientDescent(KindlingContext kc) {
        dev.kindling.RDD<dev.kindling.examples.PointBlock> blocks = dev.kindling.examples.PointBlock.blockify(
                kc.parallelize(java.util.stream.LongStream.range(0, 20_000).boxed().toList(), 4)
                        .map(i -> dev.kindling.examples.LabeledPoint.synthetic(3, i, 5, true))).cache();
        double[] weights = dev.kindling.examples.LogisticRegression.train(blocks, 10, 1.0, null).weights();
        blocks.unpersist();
        return weights;
    }

    /**
     * {@code kindling streaming --master yarn} with a Python mapper and reducer shipped with -file,
     * input and output on HDFS: every output file is byte-identical to the local[2] run's and the
     * counts match an independent count. Each mapper ran in a YARN container, on the copy of its
     * script that its executor wrote into the container's directory from the job's broadcast (the
     * driver's scratch directory never held one), and nothing is left in the driver's.
     */
    @Test
    void streaming_withPythonShippedByFile_onYarn_writesTheBytesOfTheLocalRun() throws Exception {
        List<String> input = lines(2_000, 17);
        writeLines(root + "/st/in/a.txt", input);
        List<Path> scripts = StreamingScripts.write(Files.createDirectories(base.resolve("st-scripts")));
        Map<String, byte[]> local = streaming("local[2]", scripts);
        Map<String, byte[]> onYarn = streaming("yarn", scripts);

        assertEquals(local.keySet(), onYarn.keySet());
        for (String file : local.keySet()) {
            assertTrue(Arrays.equals(local.get(file), onYarn.get(file)), file + " differs");
        }
        assertTrue(onYarn.containsKey("_SUCCESS") && onYarn.containsKey("part-00001"), onYarn::toString);
        assertEquals(expectedCounts(input), StreamingScripts.counts(onYarn));
        Path driverScratch = base.resolve("st-scratch-yarn").toRealPath();
        for (StreamingScripts.Note note : StreamingScripts.notes(base.resolve("st-where-yarn"))) {
            assertEquals("executor", note.seen(), note::toString);
            Matcher m = Pattern.compile(".*/container_[^/]+/kindling-executor/streaming/job_kindling[0-9_]+/")
                    .matcher(note.script());
            assertTrue(m.lookingAt() && note.script().substring(m.end()).equals("files/mapper.py"), note::toString);
            assertTrue(note.workDir().matches(Pattern.quote(m.group()) + "attempt_m_[0-9_]+"), note::toString);
            assertFalse(note.script().startsWith(driverScratch.toString()), note::toString);
        }
        try (var left = Files.walk(driverScratch)) {
            assertEquals(List.of(driverScratch), left.toList());
        }
        assertEquals(List.of(), containerProcesses());
    }

    /** Runs the Python word count on {@code master}, in this JVM, over /st/in on HDFS; returns the output's files. */
    private static Map<String, byte[]> streaming(String master, List<Path> scripts) throws IOException {
        String name = master.replaceAll("[^a-z0-9]", "_");
        Path where = Files.createDirectories(base.resolve("st-where-" + name));
        Path scratch = Files.createDirectories(base.resolve("st-scratch-" + name));
        String out = root + "/st/out-" + name;
        List<String> args = new ArrayList<>(List.of("streaming", "--master", master, "-D", "kindling.local.dir=" + scratch,
                "-D", "kindling.executor.instances=2", "-D", "kindling.executor.cores=1", "-D", "kindling.executor.memory=256m",
                "-D", "kindling.executor.memoryOverhead=128m", "-D", "kindling.yarn.am.memory=128m"));
        for (String key : new String[] {"fs.defaultFS", "yarn.resourcemanager.address", "yarn.resourcemanager.scheduler.address"}) {
            args.addAll(List.of("-D", "kindling.hadoop." + key + "=" + yarnConf.get(key)));
        }
        args.addAll(List.of("-D", "mapreduce.job.reduces=2", "-D", "mapreduce.job.maps=2", "-cmdenv", "WHERE=" + where,
                "-input", root + "/st/in", "-output", out, "-mapper", "python3 mapper.py", "-reducer", "python3 reducer.py",
                "-file", scripts.get(0).toString(), "-file", scripts.get(1).toString()));
        StringWriter err = new StringWriter();
        int status = KindlingCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                args.toArray(new String[0]));
        assertEquals(0, status, err::toString);
        Map<String, byte[]> files = new TreeMap<>();
        for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(out))) {
            try (InputStream in = fs.open(s.getPath())) {
                files.put(s.getPath().getName(), in.readAllBytes());
            }
        }
        return files;
    }

    @Test
    void aContainerKilledMidJob_isReplaced_andTheResultIsExact() throws Exception {
        Path go = base.resolve("go-kill");
        String goFile = go.toString();
        Path pids = Files.createDirectories(base.resolve("pids-kill"));
        String pidDir = pids.toString();
        List<Integer> ints = IntStream.range(0, 4_000).boxed().toList();
        try (KindlingContext kc = yarnContext(2, Map.of())) {
            // Which executor ran each map task, and which executor was removed: to show that only the
            // lost container's map outputs ran again.
            java.util.Set<Integer> mapStages = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<dev.kindling.scheduler.SchedulerEvent.TaskEnd> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
            kc.addListener(new dev.kindling.scheduler.SchedulerListener() {
                @Override
                public void onStageSubmitted(dev.kindling.scheduler.SchedulerEvent.StageSubmitted e) {
                    if (e.stage().shuffleMap()) {
                        mapStages.add(e.stage().stageId());
                    }
                }

                @Override
                public void onTaskEnd(dev.kindling.scheduler.SchedulerEvent.TaskEnd e) {
                    ends.add(e);
                }

                @Override
                public void onExecutorRemoved(dev.kindling.scheduler.SchedulerEvent.ExecutorRemoved e) {
                    removed.add(e.executorId());
                }
            });
            CompletableFuture<Map<Integer, Long>> job = CompletableFuture.supplyAsync(() -> kc.parallelize(ints, 4)
                    .mapPartitionsWithIndex((index, it) -> {
                        // The executor's pid, so the test kills a container that surely registered and ran a task.
                        Path written = Files.writeString(Path.of(pidDir, "p" + index + ".tmp"),
                                Long.toString(ProcessHandle.current().pid()));
                        Files.move(written, Path.of(pidDir, "p" + index), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        if (index >= 2) {
                            awaitFile(Path.of(goFile));
                        }
                        return it;
                    }, false)
                    .mapToPair(x -> Pair.of(x % 10, 1L)).reduceByKey(Long::sum, 2).collectAsMap());
            awaitExecutors(2);
            Path firstPid = pids.resolve("p0");
            awaitFile(firstPid);
            ProcessHandle victim = ProcessHandle.of(Long.parseLong(Files.readString(firstPid).trim())).orElseThrow();
            assertTrue(victim.info().commandLine().orElse("").contains("ExecutorProcess"), "partition 0 ran in an executor");
            victim.destroyForcibly(); // SIGKILL, as a node losing the container
            victim.onExit().get(60, TimeUnit.SECONDS);
            Files.writeString(go, "go");
            Map<Integer, Long> result = job.get(300, TimeUnit.SECONDS);
            assertEquals(ints.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting())), result);
            // The replacement container registered and runs jobs.
            assertEquals(4_000L, kc.parallelize(ints, 4).count());
            for (int i = 0; i < 300 && removed.isEmpty(); i++) {
                Thread.sleep(100); // the listener bus delivers on its own thread (a hang guard, not a timing check)
            }
            assertEquals(1, removed.size(), "one executor removed: " + removed);
            Map<Integer, List<String>> ranOn = new TreeMap<>();
            for (dev.kindling.scheduler.SchedulerEvent.TaskEnd e : ends) {
                if (mapStages.contains(e.stageId()) && e.succeeded()) {
                    ranOn.computeIfAbsent(e.task().partition(), p -> new ArrayList<>()).add(e.task().executorId());
                }
            }
            assertEquals(java.util.Set.of(0, 1, 2, 3), ranOn.keySet(), ranOn.toString());
            java.util.Set<Integer> firstOnLost = ranOn.entrySet().stream()
                    .filter(e -> e.getValue().get(0).equals(removed.get(0))).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            java.util.Set<Integer> ranTwice = ranOn.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertEquals(firstOnLost, ranTwice, "exactly the lost container's map outputs ran again: " + ranOn);
            assertTrue(ranOn.values().stream().allMatch(runs -> runs.size() <= 2), ranOn.toString());
        }
        assertEquals(List.of(), containerProcesses());
    }

    @Test
    void anApplicationKilledFromYarn_failsTheRunningJobNamingIt() throws Exception {
        Path go = base.resolve("go-never");
        String goFile = go.toString();
        try (KindlingContext kc = yarnContext(1, Map.of(YarnKeys.APP_NAME, "kill-me"))) {
            CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> kc.parallelize(List.of(1, 2), 2)
                    .map(x -> {
                        awaitFile(Path.of(goFile));
                        return x;
                    }).count());
            awaitExecutors(1);
            try (YarnClient client = YarnClient.createYarnClient()) {
                client.init(yarnConf);
                client.start();
                ApplicationReport app = client.getApplications().stream().filter(a -> a.getName().equals("kill-me"))
                        .filter(a -> a.getYarnApplicationState() == YarnApplicationState.RUNNING).findFirst().orElseThrow();
                client.killApplication(app.getApplicationId());
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(300, TimeUnit.SECONDS));
            assertTrue(messages(e).contains("ended (KILLED)"), messages(e));
        }
        assertEquals(List.of(), containerProcesses());
    }

    @Test
    void aQueueThatDoesNotExist_failsAtOnceNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> yarnContext(1, Map.of(YarnKeys.QUEUE, "no-such-queue")).close());
        assertTrue(e.getMessage().contains("The YARN queue \"no-such-queue\" does not exist (kindling.yarn.queue); "),
                e.getMessage());
    }

    @Test
    void anUnreachableResourceManager_failsNamingItsAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String address = "127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> yarnContext(1,
                Map.of("kindling.hadoop.yarn.resourcemanager.address", address)).close());
        assertTrue(e.getMessage().contains("Cannot reach the YARN ResourceManager at " + address), e.getMessage());
    }

    /** An application jar holding {@link ClusterModeApp}, made once. */
    private static synchronized Path appJar() throws IOException {
        Path jar = base.resolve("cluster-app.jar");
        if (!Files.exists(jar)) {
            String name = ClusterModeApp.class.getName().replace('.', '/') + ".class";
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 InputStream in = ClusterModeApp.class.getClassLoader().getResourceAsStream(name)) {
                out.putNextEntry(new JarEntry(name));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** {@code kindling submit --master yarn --deploy-mode cluster} of {@link ClusterModeApp} on the mini cluster, in this JVM. */
    private static Run submitCluster(String appName, int executors, boolean wait, String... appArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("submit", "--master", "yarn", "--deploy-mode", "cluster",
                "--num-executors", Integer.toString(executors), "--executor-memory", "256m",
                "--conf", "kindling.executor.memoryOverhead=128m", "--conf", "kindling.driver.memory=384m",
                "--conf", "kindling.driver.memoryOverhead=128m", "--conf", "kindling.ui.showConsoleProgress=false",
                "--conf", "kindling.app.name=" + appName));
        for (String key : new String[] {"fs.defaultFS", "yarn.resourcemanager.address", "yarn.resourcemanager.scheduler.address"}) {
            args.addAll(List.of("--conf", "kindling.hadoop." + key + "=" + yarnConf.get(key)));
        }
        if (wait) {
            args.add("--wait");
        }
        args.addAll(List.of("--class", ClusterModeApp.class.getName(), appJar().toString()));
        args.addAll(List.of(appArgs));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KindlingCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
        return new Run(status, out.toString(), err.toString());
    }

    private record Run(int status, String out, String err) {
        /** The application id: the first line of standard output. */
        String appId() {
            return out.lines().findFirst().orElse("").strip();
        }
    }

    /** The applications the ResourceManager knows by name {@code appName}. */
    private static List<ApplicationReport> applicationsNamed(String appName) throws Exception {
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarnConf);
            client.start();
            return client.getApplications().stream().filter(a -> a.getName().equals(appName)).toList();
        }
    }

    private Map<String, Long> readCounts(String dir) throws IOException {
        Map<String, Long> actual = new TreeMap<>();
        for (String line : readDir(dir)) {
            String[] kv = line.split("\t");
            assertFalse(actual.containsKey(kv[0]), "word " + kv[0] + " counted twice");
            actual.put(kv[0], Long.parseLong(kv[1]));
        }
        return actual;
    }

    @Test
    void wordCount_inClusterMode_withWait_exits0_andMatchesAnIndependentCount() throws Exception {
        List<String> input = lines(2_000, 11);
        writeLines(root + "/cwc/in/a.txt", input);
        String out = root + "/cwc/out";
        Run run = submitCluster("cluster-wc", 2, true, "wordcount", root + "/cwc/in", out);
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.appId().startsWith("application_"), run::toString);
        assertEquals(expectedCounts(input), readCounts(out));
        // The driver used the containers of its own application: YARN saw one application by that name.
        List<ApplicationReport> apps = applicationsNamed("cluster-wc");
        assertEquals(1, apps.size(), apps::toString);
        assertEquals(run.appId(), apps.get(0).getApplicationId().toString());
        assertEquals(List.of(), containerProcesses());
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging/" + run.appId())));
    }

    @Test
    void aMainThatThrows_inClusterMode_withWait_exits1_namingTheException() throws Exception {
        Run run = submitCluster("cluster-fail", 1, true, "fail");
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("The YARN application " + run.appId() + " failed (FINISHED, FAILED)"), run::toString);
        assertTrue(run.err().contains("java.lang.IllegalStateException: " + ClusterModeApp.FAILURE), run::toString);
        assertEquals(List.of(), containerProcesses());
    }

    @Test
    void withoutWait_submitPrintsAnApplicationIdThatTheResourceManagerReports() throws Exception {
        List<String> input = lines(300, 13);
        writeLines(root + "/cnw/in/a.txt", input);
        String out = root + "/cnw/out";
        Run run = submitCluster("cluster-nowait", 1, false, "wordcount", root + "/cnw/in", out);
        assertEquals(0, run.status(), run::toString);
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarnConf);
            client.start();
            ApplicationId id = ApplicationId.fromString(run.appId());
            ApplicationReport report = client.getApplicationReport(id);
            assertEquals("cluster-nowait", report.getName());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!Set.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                    .contains(report.getYarnApplicationState()) && System.nanoTime() - deadline < 0) {
                Thread.sleep(500);
                report = client.getApplicationReport(id);
            }
            assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report::getDiagnostics);
        }
        assertEquals(expectedCounts(input), readCounts(out));
        assertEquals(List.of(), containerProcesses());
    }

    private static List<ProcessHandle> awaitExecutors(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            List<ProcessHandle> found = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains("dev.kindling.internal.cluster.ExecutorProcess"))
                    .toList();
            if (found.size() >= n || System.nanoTime() - deadline > 0) {
                assertTrue(found.size() >= n, "executor processes: " + found);
                return found;
            }
            Thread.sleep(100);
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(file) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }
}
