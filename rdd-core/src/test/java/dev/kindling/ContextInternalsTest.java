package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.ContextInternals;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The context's internals are reached through {@link ContextInternals}, not its public methods. */
class ContextInternalsTest {

    private static final Set<String> INTERNALS = Set.of("scheduler", "shuffleStore", "blockManager", "newShuffleId",
            "runInternalJob", "cacheManager", "blockReader", "memoryManager", "serializer", "defaultPartitioner");

    @Test
    void kindlingContextsPublicMethodsNameNoInternals() {
        Set<String> exposed = Arrays.stream(KindlingContext.class.getMethods()).map(Method::getName)
                .filter(INTERNALS::contains).collect(Collectors.toSet());
        assertEquals(Set.of(), exposed, "internals on KindlingContext's public surface (tab completion)");
        for (Method m : KindlingContext.class.getDeclaredMethods()) {
            if (m.getName().equals("cacheManager")) {
                assertTrue(!Modifier.isPublic(m.getModifiers()), "cacheManager() is internal");
            }
        }
    }

    @Test
    void theHandleReachesTheContextsOwnParts() {
        try (KindlingContext kc = Kindling.local(2)) {
            ContextInternals internals = ContextInternals.of(kc);
            PairRDD<Integer, Integer> sums = kc.parallelizePairs(List.of(Pair.of(1, 1), Pair.of(1, 2), Pair.of(2, 5)),
                    2).reduceByKey(Integer::sum);
            assertEquals(2, sums.count());
            assertEquals(1, internals.shuffleStore().shuffleCount(), "the reduceByKey's shuffle is in this store");
            int a = internals.newShuffleId(sums.rdd());
            assertNotEquals(a, internals.newShuffleId(sums.rdd()), "shuffle ids are fresh");
            assertEquals(List.of(3), internals.runInternalJob(kc.parallelize(List.of(1, 2, 3), 1),
                    (ctx, it) -> { int n = 0; for (; it.hasNext(); it.next()) { n++; } return n; }, new int[] {0}));
            assertEquals(sums.rdd().partitioner().orElseThrow(), internals.defaultPartitioner(List.of(sums.rdd())),
                    "an input's hash partitioner over 2 partitions is reused");
            assertTrue(internals.memoryManager().maxBytes() > 0, "the context's memory budget");
            assertTrue(internals.serializer() != null, "the context's serializer");
            assertEquals(0, internals.scheduler().internalStateSizes().values().stream()
                    .mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void accessCannotBeReplaced() {
        assertThrows(IllegalStateException.class, () -> ContextInternals.installAccess(c -> null));
    }
}
