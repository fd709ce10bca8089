package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code kindling run --master local-cluster[...]} runs an example on executor processes, from a real child JVM. */
@Tag("slow")
class LocalClusterCliTest {

    @Test
    void kmeansOnLocalClusterPrintsWhatItPrintsInLocalMode() throws Exception {
        String[] example = {"kmeans", "--generate", "3000", "--dims", "2", "--k", "3", "--seed", "1", "--iterations", "4"};
        Processes.Result local = Processes.kindling(null, concat(new String[] {"run", "--master", "local[2]"}, example));
        Processes.Result cluster = Processes.kindling(null,
                concat(new String[] {"run", "--master", "local-cluster[2,1,256]"}, example));

        assertEquals(0, local.exitCode(), local::all);
        assertEquals(0, cluster.exitCode(), cluster::all);
        List<String> expected = results(local.out());
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("cost=")), local::all);
        assertEquals(expected, results(cluster.out()), cluster::all);
    }

    private static List<String> results(String out) {
        return out.lines().filter(l -> l.startsWith("center ") || l.startsWith("cost=") || l.startsWith("iteration ")).toList();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
