package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.network.NetworkConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor processes started, killed for real and stopped: what {@code close()} leaves (nothing), an
 * executor killed with {@code kill -9} or stopped with SIGSTOP (lost once, the rest keeps working), a
 * driver killed with {@code kill -9} (its executors exit by themselves), an executor that cannot start, a
 * per-executor host that is no address of this machine.
 */
@Tag("slow")
class LocalClusterLifecycleTest {

    private static final String[] CLUSTER_THREADS = {"kindling-cluster-", "kindling-net-", "kindling-rpc-handler-"};

    @TempDir
    Path localDir;

    @Test
    void closeLeavesNoProcessNoListeningPortNoScratchDirectoryAndNoThread() throws Exception {
        Set<String> threadsBefore = clusterThreads();
        RecordingListener listener = new RecordingListener();
        LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[2,1,256]", localDir, Map.of()), listener);
        List<ExecutorInfo> executors = cluster.executors();
        InetSocketAddress driver = cluster.driverAddress();
        assertEquals(2, executors.size());
        assertEquals(2, ProcessHandle.current().descendants().count());
        assertTrue(listening(driver));
        for (ExecutorInfo e : executors) {
            assertTrue(listening(e.address()), "executor " + e.executorId() + " should listen before close");
        }

        cluster.close();

        for (ExecutorInfo e : executors) {
            assertFalse(ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false), "executor alive: " + e);
            assertFalse(listening(e.address()), "executor " + e.executorId() + " still listens on " + e.address());
        }
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList());
        assertFalse(listening(driver), "the driver still listens on " + driver);
        assertEquals(List.of(), executorDirs());
        Set<String> left = clusterThreads();
        left.removeAll(threadsBefore);
        assertEquals(Set.of(), left);
        assertEquals(List.of(), listener.lost, "close() stops executors; it does not lose them");
    }

    @Test
    void anExecutorKilledWithKill9IsLostOnceAndTheOtherKeepsWorking() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[2,1,256]", localDir, Map.of()), listener)) {
            ExecutorInfo victim = cluster.executors().get(0);
            kill("-9", victim.pid());

            assertEquals(victim.executorId(), listener.nextLoss(60));
            assertTrue(listener.lostReasons.get(0).contains("exited with code 137"), listener.lostReasons.get(0));
            assertEquals(List.of("1"), cluster.executors().stream().map(ExecutorInfo::executorId).toList());
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                    () -> cluster.launchTask(victim.executorId(), TestTasks.task(1, TestTasks.ReportPid.class.getName(), new byte[0])));
            assertTrue(gone.getMessage().contains("No registered executor 0"), gone.getMessage());

            ExecutorInfo survivor = cluster.executors().get(0);
            for (int i = 0; i < 3; i++) {
                cluster.launchTask(survivor.executorId(), TestTasks.task(2 + i, TestTasks.ReportPid.class.getName(), new byte[0]));
                RecordingListener.Update u = listener.nextUpdate(60);
                assertEquals("FINISHED", u.status().state(), u.status().text());
                assertEquals(Long.toString(survivor.pid()), u.status().text());
            }
            waitUntil(() -> !Files.exists(localDir.resolve("executor-0")), "the lost executor's directory is deleted");
        }
        assertEquals(List.of("0"), listener.lost, "executorLost once, for the killed executor only");
        assertEquals(List.of(), executorDirs());
    }

    @Test
    void anExecutorWhoseHeartbeatsStopIsRemovedAndItsProcessKilled() throws Exception {
        RecordingListener listener = new RecordingListener();
        // The timeout also bounds the executor's start and registration: at load 35-40 on 2 cores a JVM
        // took more than 15 s to register, so the silence to detect is 40 s.
        Map<String, String> conf = Map.of(NetworkConfig.TIMEOUT_MS, "40000");
        try (LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[1,1,128]", localDir, conf), listener)) {
            ExecutorInfo frozen = cluster.executors().get(0);
            kill("-STOP", frozen.pid());
            assertEquals("0", listener.nextLoss(120));
            assertTrue(listener.lostReasons.get(0).startsWith("no heartbeat for "), listener.lostReasons.get(0));
            assertTrue(listener.lostReasons.get(0).contains(NetworkConfig.TIMEOUT_MS + "=40000"), listener.lostReasons.get(0));
            waitUntil(() -> !ProcessHandle.of(frozen.pid()).map(ProcessHandle::isAlive).orElse(false),
                    "the silent executor's process is killed");
            assertEquals(List.of(), cluster.executors());
        }
        assertEquals(List.of("0"), listener.lost);
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList());
    }

    @Test
    void whenTheDriverIsKilledWithKill9_thenItsExecutorsExitByThemselves() throws Exception {
        Process driver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ClusterDriverMain.class.getName(), localDir.toString())
                .redirectError(localDir.resolve("driver.log").toFile()).start();
        List<Long> executors = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                if (line.startsWith("EXECUTOR ")) {
                    executors.add(Long.parseLong(line.split(" ")[2]));
                }
            }
            assertEquals(2, executors.size(), () -> "driver output ended early; its log:\n" + driverLog());
            assertEquals(2, executorDirs().size());

            kill("-9", driver.pid());
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
            long killedAt = System.nanoTime();
            for (long pid : executors) {
                waitUntil(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
                        "executor " + pid + " exits by itself after its driver was killed");
            }
            System.out.println("Executors exited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
                    + " ms after their driver was killed");
            assertEquals(List.of(), executorDirs(), "an executor whose driver is gone deletes its own scratch directory");
        } finally {
            driver.destroyForcibly();
            for (long pid : executors) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void hostKeysChooseWhereServersListenAndEncryptionReachesTheExecutors() throws Exception {
        RecordingListener listener = new RecordingListener();
        Map<String, String> conf = Map.of(ClusterKeys.DRIVER_HOST, "127.0.0.3", ClusterKeys.EXECUTOR_HOST, "127.0.0.2",
                NetworkConfig.CRYPTO_ENABLED, "true");
        try (LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[1,1,128]", localDir, conf), listener)) {
            assertEquals("127.0.0.3", cluster.driverAddress().getAddress().getHostAddress());
            ExecutorInfo e = cluster.executors().get(0);
            assertEquals("127.0.0.2", e.host());
            cluster.launchTask("0", TestTasks.task(1, TestTasks.Reverse.class.getName(), new byte[] {1, 2, 3}));
            RecordingListener.Update u = listener.nextUpdate(60);
            assertEquals("FINISHED", u.status().state(), u.status().text());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {3, 2, 1}, u.status().data());
        }
    }

    @Test
    void aPerExecutorHostThatIsNoAddressOfThisMachineFailsStartNamingTheKeyBeforeAnyProcessStarts() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
        Map<String, String> conf = Map.of(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, "127.0.0.1,192.0.2.1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalCluster.start(
                Clusters.settings("local-cluster[2,1,128]", localDir, conf), new RecordingListener()));
        assertTrue(e.getMessage().startsWith("kindling.localCluster.executorHosts names \"192.0.2.1\", which is not an"
                + " address a server on this machine can listen on"), e.getMessage());
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList());
    }

    @Test
    void extraJavaOptionsReachEveryExecutorJvmWithItsOwnId() throws Exception {
        Map<String, String> conf = Map.of(ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS,
                "-Dkindling.test.marker=executor-{{EXECUTOR_ID}} -XX:+UseSerialGC");
        try (LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[2,1,128]", localDir, conf),
                new RecordingListener())) {
            for (ExecutorInfo e : cluster.executors()) {
                List<String> args = List.of(Files.readString(Path.of("/proc/" + e.pid() + "/cmdline")).split("\0"));
                assertTrue(args.contains("-Dkindling.test.marker=executor-" + e.executorId()), args.toString());
                assertTrue(args.contains("-XX:+UseSerialGC"), args.toString());
                assertTrue(args.indexOf("-XX:+UseSerialGC") < args.indexOf(ExecutorProcess.class.getName()), args.toString());
            }
        }
    }

    @Test
    void anExecutorThatCannotStartFailsStartWithItsLastOutputAndLeavesNothing() throws Exception {
        ClusterSettings settings = ClusterSettings.of(LocalClusterMaster.parse("local-cluster[1,1,128]"), Map.of(), localDir,
                "no.such.SinkFactory");
        IOException e = assertThrows(IOException.class, () -> LocalCluster.start(settings, new RecordingListener()));
        assertTrue(e.getMessage().startsWith("Executor 0 (pid "), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code 1 before it registered with the driver"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.ClassNotFoundException: no.such.SinkFactory"), e.getMessage());
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList());
        assertEquals(List.of(), executorDirs());
    }

    private String driverLog() {
        try {
            return Files.readString(localDir.resolve("driver.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private List<String> executorDirs() throws IOException {
        try (Stream<Path> files = Files.list(localDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("executor-")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Set<String> clusterThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (String prefix : CLUSTER_THREADS) {
                if (t.getName().startsWith(prefix) && t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        return names;
    }

    private static boolean listening(InetSocketAddress address) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill " + signal + " " + pid);
    }

    /** Polls {@code condition} for up to 30 s (a hang guard, not a timing assertion). */
    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
