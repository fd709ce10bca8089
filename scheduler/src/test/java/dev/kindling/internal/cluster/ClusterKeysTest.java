package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kindling.executor.extraJavaOptions}: split at white space, the executor id filled in, a heap or a stray word
 * refused; {@code kindling.localCluster.executorHosts}: one host per executor or an error naming the key.
 */
class ClusterKeysTest {

    @Test
    void extraJavaOptionsAreSplitAtWhiteSpaceWithTheExecutorIdFilledIn() {
        Map<String, String> conf = Map.of(ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS,
                "  -XX:+UseSerialGC\t-XX:StartFlightRecording=filename=/tmp/e-{{EXECUTOR_ID}}.jfr \n -Da=b ");

        assertEquals(List.of("-XX:+UseSerialGC", "-XX:StartFlightRecording=filename=/tmp/e-3.jfr", "-Da=b"),
                ClusterKeys.executorJavaOptions(conf, "3"));
        assertEquals(List.of(), ClusterKeys.executorJavaOptions(Map.of(), "0"));
        assertEquals(List.of(), ClusterKeys.executorJavaOptions(Map.of(ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS, " "), "0"));
    }

    @Test
    void aHeapSizeOrAWordThatIsNoOptionIsRefusedNamingTheKey() {
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> ClusterKeys.executorJavaOptions(
                Map.of(ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS, "-Da=b -Xmx2g"), "0"));
        assertTrue(heap.getMessage().contains("kindling.executor.extraJavaOptions may not set the heap (-Xmx2g)"),
                heap.getMessage());
        assertTrue(heap.getMessage().contains("local-cluster[E,C,M]"), heap.getMessage());

        IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> ClusterKeys.executorJavaOptions(
                Map.of(ClusterKeys.EXECUTOR_EXTRA_JAVA_OPTIONS, "-Da=b my.Main"), "0"));
        assertTrue(word.getMessage().contains("(got \"my.Main\""), word.getMessage());
    }

    @Test
    void localClusterExecutorHostsGiveOneHostPerExecutorInIdOrder() {
        assertEquals(List.of("127.0.0.1", "127.0.0.2"), ClusterKeys.localClusterExecutorHosts(
                Map.of(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, " 127.0.0.1 ,127.0.0.2"), 2));
        assertEquals(List.of(), ClusterKeys.localClusterExecutorHosts(Map.of(), 2));
        assertEquals(List.of(), ClusterKeys.localClusterExecutorHosts(Map.of(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, " "), 2));
    }

    @Test
    void localClusterExecutorHostsOfAnotherCountOrWithABlankAreRefusedNamingTheKeyAndTheCount() {
        for (String value : new String[] {"127.0.0.1", "127.0.0.1,127.0.0.2,127.0.0.3", "127.0.0.1,", "127.0.0.1, ,x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKeys.localClusterExecutorHosts(
                    Map.of(ClusterKeys.LOCAL_CLUSTER_EXECUTOR_HOSTS, value), value.equals("127.0.0.1, ,x") ? 3 : 2));
            assertTrue(e.getMessage().startsWith("kindling.localCluster.executorHosts must name one host per executor"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("(got \"" + value + "\")"), e.getMessage());
        }
    }
}
