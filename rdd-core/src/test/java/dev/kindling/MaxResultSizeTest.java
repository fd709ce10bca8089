package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kindling.driver.maxResultSize} in one JVM: it counts serialized results, so it applies where
 * results are serialized ({@code kindling.task.serialization=always}, as on a cluster) and not to
 * local mode's default hand-over of result objects, which makes no copy to count.
 */
class MaxResultSizeTest {

    private static Stream<String> records(int p, int n) {
        return IntStream.range(0, n).mapToObj(i -> "p" + p + "-record-" + i);
    }

    private static List<String> reference(int partitions, int n) {
        return IntStream.range(0, partitions).boxed().flatMap(p -> records(p, n)).toList();
    }

    @Test
    void withSerializedResultsAJobOverTheLimitFailsNamingTheKeyAndTheNextJobRuns() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.task.serialization", "always")
                .config("kindling.driver.maxResultSize", "256k").build()) {
            RDD<String> big = kc.parallelize(IntStream.range(0, 4).boxed().toList(), 4)
                    .flatMap(p -> records(p, 10_000).iterator()); // ~190 KB serialized per partition
            JobFailedExceptionHolder.check(assertThrows(Exception.class, big::collect));
            assertEquals(40_000L, big.count(), "a count brings back four numbers: far under the limit");
            RDD<String> small = kc.parallelize(IntStream.range(0, 4).boxed().toList(), 4)
                    .flatMap(p -> records(p, 2_000).iterator()); // ~150 KB in all
            assertEquals(reference(4, 2_000), small.collect());
        }
    }

    @Test
    void localModeHandsResultObjectsOverWithoutCountingThem() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.task.serialization", "auto")
                .config("kindling.driver.maxResultSize", "1k").build()) {
            assertEquals(reference(4, 10_000), kc.parallelize(IntStream.range(0, 4).boxed().toList(), 4)
                    .flatMap(p -> records(p, 10_000).iterator()).collect());
        }
    }

    @Test
    void aMalformedLimitFailsTheContextNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kindling.builder().master("local[1]").config("kindling.driver.maxResultSize", "lots").build());
        assertTrue(e.getMessage().startsWith("kindling.driver.maxResultSize must be a size in bytes"), e.getMessage());
    }

    /** The failure names the key, its value and what to do, with the task's exception as a cause. */
    private static final class JobFailedExceptionHolder {
        static void check(Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable c = e; c != null; c = c.getCause()) {
                all.append(c).append('\n');
            }
            String m = all.toString();
            assertTrue(m.contains("aborted without retrying"), m);
            assertTrue(m.contains("more than kindling.driver.maxResultSize (262144 bytes); raise kindling.driver.maxResultSize"), m);
        }
    }
}
