package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.network.NetworkConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An executor's settings travel through its environment and back; missing or bad variables are named. */
class ExecutorSettingsTest {

    private final ExecutorSettings settings = new ExecutorSettings(new InetSocketAddress("127.0.0.1", 4567), "3", 2,
            Path.of("/tmp/x/executor-3"), "a.b.SinkFactory", Map.of(NetworkConfig.TIMEOUT_MS, "5000",
            ClusterKeys.EXECUTOR_HOST, "127.0.0.1"));

    @Test
    void settingsRoundTripThroughTheEnvironment() {
        Map<String, String> env = settings.toEnvironment();
        assertEquals("127.0.0.1:4567", env.get(ExecutorSettings.DRIVER_ADDRESS));
        assertEquals(settings, ExecutorSettings.fromEnvironment(env));
        assertTrue(env.keySet().stream().noneMatch(k -> k.contains("SECRET")), "the secret is added by the launcher only: " + env);
    }

    @Test
    void inAYarnContainerTheExecutorHostIsItsNodeUnlessTheKeyIsSet() {
        ExecutorSettings unset = new ExecutorSettings(settings.driverAddress(), "3", 2, settings.scratchDir(),
                settings.taskSink(), Map.of(NetworkConfig.TIMEOUT_MS, "5000"));
        Map<String, String> env = new HashMap<>(unset.toEnvironment());
        assertEquals(null, ExecutorSettings.fromEnvironment(env).conf().get(ClusterKeys.EXECUTOR_HOST));
        env.put(ExecutorSettings.YARN_NODE_HOST, "node7.example.org");
        assertEquals("node7.example.org", ExecutorSettings.fromEnvironment(env).conf().get(ClusterKeys.EXECUTOR_HOST));
        Map<String, String> explicit = new HashMap<>(settings.toEnvironment());
        explicit.put(ExecutorSettings.YARN_NODE_HOST, "node7.example.org");
        assertEquals("127.0.0.1", ExecutorSettings.fromEnvironment(explicit).conf().get(ClusterKeys.EXECUTOR_HOST));
    }

    @Test
    void anIpv6DriverAddressParses() {
        Map<String, String> env = new HashMap<>(settings.toEnvironment());
        env.put(ExecutorSettings.DRIVER_ADDRESS, "[::1]:80");
        assertEquals(new InetSocketAddress("::1", 80), ExecutorSettings.fromEnvironment(env).driverAddress());
    }

    @Test
    void aMissingVariableSaysExecutorsAreStartedByTheirDriver() {
        for (String name : new String[] {ExecutorSettings.DRIVER_ADDRESS, ExecutorSettings.EXECUTOR_ID, ExecutorSettings.CORES,
                ExecutorSettings.SCRATCH_DIR, ExecutorSettings.TASK_SINK}) {
            Map<String, String> env = new HashMap<>(settings.toEnvironment());
            env.remove(name);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExecutorSettings.fromEnvironment(env));
            assertTrue(e.getMessage().startsWith("The environment variable " + name + " is not set."), e.getMessage());
            assertTrue(e.getMessage().contains("started by its driver"), e.getMessage());
        }
    }

    @Test
    void badValuesNameTheVariable() {
        Map<String, String> env = new HashMap<>(settings.toEnvironment());
        env.put(ExecutorSettings.DRIVER_ADDRESS, "localhost");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.fromEnvironment(env)).getMessage()
                .contains(ExecutorSettings.DRIVER_ADDRESS + " must be host:port"));
        env.put(ExecutorSettings.DRIVER_ADDRESS, "h:70000");
        assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.fromEnvironment(env));
        env.put(ExecutorSettings.DRIVER_ADDRESS, "h:1");
        env.put(ExecutorSettings.CORES, "0");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.fromEnvironment(env)).getMessage()
                .contains(ExecutorSettings.CORES + " must be at least 1 (got 0)"));
        env.put(ExecutorSettings.CORES, "two");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.fromEnvironment(env)).getMessage()
                .contains(ExecutorSettings.CORES + " must hold a whole number"));
    }

    @Test
    void heartbeatIntervalDefaultsToOneSecondAndMustBeBelowTheTimeout() {
        assertEquals(1_000, ClusterKeys.heartbeatIntervalMs(Map.of()));
        assertEquals(250, ClusterKeys.heartbeatIntervalMs(Map.of(ClusterKeys.HEARTBEAT_INTERVAL_MS, "250")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKeys.heartbeatIntervalMs(
                Map.of(ClusterKeys.HEARTBEAT_INTERVAL_MS, "5000", NetworkConfig.TIMEOUT_MS, "5000")));
        assertTrue(e.getMessage().startsWith(ClusterKeys.HEARTBEAT_INTERVAL_MS + " must be at least 1 and below the executor"
                + " timeout kindling.network.timeoutMs=5000 (got 5000)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterKeys.heartbeatIntervalMs(Map.of(ClusterKeys.HEARTBEAT_INTERVAL_MS, "0")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterKeys.heartbeatIntervalMs(
                Map.of(ClusterKeys.HEARTBEAT_INTERVAL_MS, "1s"))).getMessage().contains("must be a whole number of milliseconds"));
    }

    @Test
    void resultSizeKeysTakeBytesOrBinarySuffixesWithSparksDefaults() {
        assertEquals(1L << 20, ClusterKeys.maxDirectResultSize(Map.of()));
        assertEquals(1L << 30, ClusterKeys.maxResultSize(Map.of()));
        assertEquals(0, ClusterKeys.maxResultSize(Map.of(ClusterKeys.MAX_RESULT_SIZE, "0")));
        assertEquals(4096, ClusterKeys.maxResultSize(Map.of(ClusterKeys.MAX_RESULT_SIZE, " 4096 ")));
        assertEquals(64L << 10, ClusterKeys.maxDirectResultSize(Map.of(ClusterKeys.MAX_DIRECT_RESULT_SIZE, "64k")));
        assertEquals(3L << 20, ClusterKeys.maxResultSize(Map.of(ClusterKeys.MAX_RESULT_SIZE, "3M")));
        assertEquals(2L << 30, ClusterKeys.maxResultSize(Map.of(ClusterKeys.MAX_RESULT_SIZE, "2gb")));
        for (String bad : new String[] {"-1", "1t", "", "lots", "1.5g", "99999999999g"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClusterKeys.maxResultSize(Map.of(ClusterKeys.MAX_RESULT_SIZE, bad)), bad);
            assertTrue(e.getMessage().startsWith(ClusterKeys.MAX_RESULT_SIZE + " must be a size in bytes"), e.getMessage());
        }
    }

    @Test
    void onlyNetworkKeysAndTheExecutorHostTravelBeforeRegistration() {
        Map<String, String> conf = Map.of(NetworkConfig.CRYPTO_ENABLED, "true", ClusterKeys.EXECUTOR_HOST, "10.0.0.1",
                "kindling.app.name", "x", ClusterKeys.DRIVER_HOST, "10.0.0.2");
        assertEquals(Map.of(NetworkConfig.CRYPTO_ENABLED, "true", ClusterKeys.EXECUTOR_HOST, "10.0.0.1"),
                ClusterKeys.preRegistration(conf));
    }
}
