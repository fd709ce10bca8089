package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.AuthenticationException;
import dev.kindling.internal.network.BlockData;
import java.nio.ByteBuffer;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClientFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code local-cluster[2,1,256]} of real executor processes, shared by tests that do not break it:
 * registration on loopback, tasks that run in the executors' own JVMs and send their results back,
 * classes that only the driver has, kills, refused wrong secrets, and a secret kept off command lines.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalClusterTest {

    private Path localDir;
    private final RecordingListener listener = new RecordingListener();
    private final InMemoryClasses driverOnly = new InMemoryClasses(getClass().getClassLoader());
    private LocalCluster cluster;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        localDir = dir;
        driverOnly.compile("generated.Doubler", """
                package generated;
                public final class Doubler implements java.util.function.UnaryOperator<byte[]> {
                    public byte[] apply(byte[] in) {
                        byte[] out = new byte[in.length];
                        for (int i = 0; i < in.length; i++) out[i] = (byte) (2 * in[i]);
                        return out;
                    }
                }
                """);
        cluster = LocalCluster.start(Clusters.settings("local-cluster[2,1,256]", localDir, Map.of())
                .withClasses(ClassSource.of(driverOnly)).withBlocks(id -> id.equals("driver-block")
                        ? new BlockData.InMemory(ByteBuffer.wrap(TestTasks.blockBytes("driver"))) : null), listener);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void bothExecutorsRegisterAsChildProcessesListeningOnLoopback() {
        List<ExecutorInfo> executors = cluster.executors();
        assertEquals(List.of("0", "1"), executors.stream().map(ExecutorInfo::executorId).toList());
        Set<Long> children = new TreeSet<>(ProcessHandle.current().children().map(ProcessHandle::pid).toList());
        for (ExecutorInfo e : executors) {
            assertEquals(1, e.cores());
            assertTrue(children.contains(e.pid()), "executor " + e + " is not a child of this JVM: " + children);
            assertTrue(e.address().getAddress().isLoopbackAddress(), "executor server not on loopback: " + e);
            assertTrue(Files.isDirectory(localDir.resolve("executor-" + e.executorId())));
        }
        assertTrue(cluster.driverAddress().getAddress().isLoopbackAddress(), "driver server: " + cluster.driverAddress());
        assertEquals(List.of("0", "1"), listener.added.stream().sorted().toList());
    }

    @Test
    void aTaskRunsOnEachExecutorInItsOwnProcessAndItsResultComesBack() throws Exception {
        for (ExecutorInfo e : cluster.executors()) {
            cluster.launchTask(e.executorId(), TestTasks.task(10, TestTasks.ReportPid.class.getName(), new byte[0]));
            RecordingListener.Update u = listener.nextUpdate(60);
            assertEquals(e.executorId(), u.executorId());
            assertEquals("FINISHED", u.status().state(), u.status().text());
            assertEquals(Long.toString(e.pid()), u.status().text());
            assertNotEquals(Long.toString(ProcessHandle.current().pid()), u.status().text());

            byte[] input = new byte[100_000];
            new java.util.Random(e.pid()).nextBytes(input);
            cluster.launchTask(e.executorId(), TestTasks.task(11, TestTasks.Reverse.class.getName(), input));
            u = listener.nextUpdate(60);
            assertEquals(11, u.status().taskId());
            assertArrayEquals(new TestTasks.Reverse().apply(input), u.status().data());
        }
    }

    @Test
    void aClassThatOnlyTheDriverHasIsFetchedFromIt() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("generated.Doubler"));
        byte[] input = {1, 2, 3, 50, -7};
        cluster.launchTask("1", TestTasks.task(20, "generated.Doubler", input));
        RecordingListener.Update u = listener.nextUpdate(60);
        assertEquals("FINISHED", u.status().state(), u.status().text());
        assertArrayEquals(new byte[] {2, 4, 6, 100, -14}, u.status().data());
        assertEquals("kindling-driver-classes", u.status().loader(), "the class should be defined by the executor's remote loader");
    }

    @Test
    void aClassNeitherSideHasFailsTheTaskNamingBothPlaces() throws Exception {
        cluster.launchTask("0", TestTasks.task(21, "generated.Nowhere", new byte[0]));
        RecordingListener.Update u = listener.nextUpdate(60);
        assertEquals("FAILED", u.status().state());
        assertTrue(u.status().text().contains("generated.Nowhere is neither on this executor's class path nor served by the driver"),
                u.status().text());
    }

    @Test
    void aKilledTaskIsInterruptedAndReportsTheReason() throws Exception {
        cluster.launchTask("0", TestTasks.task(30, TestTasks.SleepUntilInterrupted.class.getName(), new byte[0]));
        cluster.killTask("0", 30, true, "stage cancelled by test");
        RecordingListener.Update u = listener.nextUpdate(60);
        assertEquals(30, u.status().taskId());
        assertEquals("KILLED", u.status().state());
        assertEquals("stage cancelled by test", u.status().text());
    }

    @Test
    void anExecutorFetchesBlocksFromAnotherExecutorAndFromTheDriverInChunks() throws Exception {
        ExecutorInfo server = cluster.executors().get(1);
        cluster.launchTask("0", fetchTask(40, server.address(), TestTasks.executorBlock("1")));
        RecordingListener.Update u = listener.nextUpdate(60);
        assertEquals("FINISHED", u.status().state(), u.status().text());
        assertEquals(TestTasks.describe(TestTasks.blockBytes("1")), u.status().text());

        cluster.launchTask("1", fetchTask(41, cluster.driverAddress(), "driver-block"));
        u = listener.nextUpdate(60);
        assertEquals("FINISHED", u.status().state(), u.status().text());
        assertEquals(TestTasks.describe(TestTasks.blockBytes("driver")), u.status().text());

        cluster.launchTask("1", fetchTask(42, cluster.executors().get(0).address(), "no-such-block"));
        u = listener.nextUpdate(60);
        assertEquals("FAILED", u.status().state());
        assertTrue(u.status().text().contains("no block no-such-block"), u.status().text());
    }

    private static byte[] fetchTask(long id, java.net.InetSocketAddress from, String blockId) {
        return TestTasks.task(id, TestTasks.FETCH, (from.getAddress().getHostAddress() + ":" + from.getPort() + ":" + blockId)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void connectionsWithAWrongSecretAreRefusedByTheDriverAndTheExecutors() {
        NetworkConfig config = NetworkConfig.defaults().withTimeoutMs(10_000);
        try (TransportClientFactory wrong = TransportClientFactory.create(config, AppSecret.generate())) {
            assertThrows(AuthenticationException.class, () -> wrong.connect(cluster.driverAddress()));
            for (ExecutorInfo e : cluster.executors()) {
                assertThrows(AuthenticationException.class, () -> wrong.connect(e.address()));
            }
        }
        assertEquals(2, cluster.executors().size());
    }

    @Test
    void theSecretIsInTheExecutorsEnvironmentAndNeverOnTheirCommandLine() throws Exception {
        for (ExecutorInfo e : cluster.executors()) {
            Map<String, String> env = environ(e.pid());
            String secret = env.get(AppSecret.ENV_VAR);
            assertTrue(secret != null && secret.length() == 2 * AppSecret.BYTES, "no secret in the environment of " + e);
            String cmdline = Files.readString(Path.of("/proc/" + e.pid() + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains(ExecutorProcess.class.getName()), cmdline);
            assertTrue(cmdline.contains("-Xmx256m"), cmdline);
            assertFalse(cmdline.contains(secret), "the secret is on the command line: " + cmdline);
            assertFalse(cmdline.toUpperCase().contains(AppSecret.ENV_VAR), cmdline);
        }
        String[] secrets = cluster.executors().stream().map(e -> environ(e.pid()).get(AppSecret.ENV_VAR)).toArray(String[]::new);
        assertEquals(secrets[0], secrets[1], "one secret per application");
    }

    @Test
    void garbageFromStrangersAndMalformedMessagesFromPeersLeaveTheClusterWorking() throws Exception {
        java.util.Random random = new java.util.Random();
        List<java.net.InetSocketAddress> servers = new java.util.ArrayList<>(List.of(cluster.driverAddress()));
        cluster.executors().forEach(e -> servers.add(e.address()));
        for (int i = 0; i < 60; i++) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(servers.get(i % servers.size()), 10_000);
                byte[] junk = new byte[1 + random.nextInt(500)];
                random.nextBytes(junk);
                s.getOutputStream().write(junk);
            } catch (java.io.IOException closedByTheServer) {
                // a server closes a connection at its first bad frame
            }
        }
        // An authenticated peer (it knows the secret, read here from an executor's environment) that sends
        // malformed messages gets errors; nothing breaks.
        AppSecret secret = AppSecret.fromEnvironment(environ(cluster.executors().get(0).pid()));
        try (TransportClientFactory peer = TransportClientFactory.create(NetworkConfig.defaults().withTimeoutMs(10_000), secret)) {
            for (ExecutorInfo e : cluster.executors()) {
                dev.kindling.internal.network.TransportClient c = peer.connect(e.address());
                c.send(new byte[] {99, 1, 2});
                c.send(new ClusterMessage.LaunchTask(new byte[] {1}).encode()); // not a task the sink can read
                c.send(new ClusterMessage.Registered(Map.of()).encode());
                assertThrows(dev.kindling.internal.network.RemoteFailureException.class, () -> c.requestAndWait(new byte[] {7}));
            }
            dev.kindling.internal.network.TransportClient d = peer.connect(cluster.driverAddress());
            d.send(new byte[0]);
            d.send(new ClusterMessage.StatusUpdate("no-such-executor", new byte[] {1}).encode());
            assertThrows(dev.kindling.internal.network.RemoteFailureException.class,
                    () -> d.requestAndWait(new ClusterMessage.LaunchTask(new byte[0]).encode()));
        }
        for (ExecutorInfo e : cluster.executors()) {
            cluster.launchTask(e.executorId(), TestTasks.task(50, TestTasks.ReportPid.class.getName(), new byte[0]));
            RecordingListener.Update u = listener.nextUpdate(60);
            assertEquals(e.executorId(), u.executorId());
            assertEquals(Long.toString(e.pid()), u.status().text());
        }
        assertEquals(2, cluster.executors().size());
        assertTrue(listener.lost.isEmpty(), "lost: " + listener.lost);
    }

    @Test
    void heartbeatsArrive() throws Exception {
        for (int i = 0; i < 300 && listener.heartbeats.size() < 2; i++) {
            Thread.sleep(100);
        }
        assertEquals(Set.of("0", "1"), Set.copyOf(listener.heartbeats));
        assertTrue(listener.lost.isEmpty(), "lost: " + listener.lost);
    }

    private static Map<String, String> environ(long pid) {
        try {
            Map<String, String> env = new HashMap<>();
            for (String entry : Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return env;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExecutorCheckedAfterAFetchFailureThatAnswersStays_andAnUnknownOneIsNotChecked() throws Exception {
        assertTrue(cluster.checkExecutor("1", "a test's fetch failure").get(60, java.util.concurrent.TimeUnit.SECONDS),
                "executor 1 answers the ping");
        assertTrue(cluster.executors().stream().anyMatch(e -> e.executorId().equals("1")), "and stays registered");
        assertFalse(listener.lost.contains("1"), "no loss reported: " + listener.lost);
        assertFalse(cluster.checkExecutor("no-such-executor", "test").get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
}
