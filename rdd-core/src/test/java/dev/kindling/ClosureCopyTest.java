package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tasks run their own deserialized copies of the functions they call, as they would on a cluster. */
@ExtendWith(LocalContext.class)
class ClosureCopyTest {

    private static final List<Integer> DATA = IntStream.range(0, 100).boxed().toList();

    @Test
    void whenAnActionMutatesACapturedCounter_thenTheDriversCounterIsUntouched(KindlingContext kc) {
        int[] counter = {0};
        kc.parallelize(DATA, 4).foreach(x -> counter[0]++);
        assertEquals(0, counter[0]);
    }

    @Test
    void whenATransformationMutatesACapturedList_thenEachTaskStartsFromAFreshCopy(KindlingContext kc) {
        List<Integer> seen = new ArrayList<>();
        List<Integer> sizes = kc.parallelize(DATA, 4).mapPartitions(it -> {
            while (it.hasNext()) {
                seen.add(it.next());
            }
            return List.of(seen.size()).iterator();
        }).collect();
        assertEquals(List.of(25, 25, 25, 25), sizes);
        assertTrue(seen.isEmpty());
    }

    @Test
    void whenACombineFunctionMutatesCapturedState_thenTheDriversObjectIsUntouched(KindlingContext kc) {
        int[] calls = {0};
        List<Pair<Integer, Integer>> sums = kc.parallelize(DATA, 4).mapToPair(x -> Pair.of(x % 3, x))
                .reduceByKey((a, b) -> {
                    calls[0]++;
                    return a + b;
                }).collect();
        assertEquals(DATA.stream().mapToInt(x -> x).sum(), sums.stream().mapToInt(Pair::value).sum());
        assertEquals(0, calls[0]);
    }

    @Test
    void whenCapturedStateChangesBetweenDeclarationAndAction_thenTheJobSeesItsStateAtTheAction(KindlingContext kc) {
        int[] threshold = {5};
        RDD<Integer> above = kc.parallelize(DATA, 4).filter(x -> x > threshold[0]);
        assertEquals(DATA.stream().filter(x -> x > 5).count(), above.count());
        threshold[0] = 90;
        assertEquals(DATA.stream().filter(x -> x > 90).count(), above.count());
    }

    @Test
    void whenOneTaskComputesTheSameNodeTwice_thenBothUsesShareThatTasksCopy(KindlingContext kc) {
        int[] calls = {0};
        RDD<Integer> callNumbers = kc.parallelize(DATA, 2).mapPartitions(it -> {
            calls[0]++;
            return List.of(calls[0]).iterator();
        });
        // zip computes both sides in the same task: one copy per task, as on a cluster.
        assertEquals(List.of(Pair.of(1, 2), Pair.of(1, 2)), callNumbers.zip(callNumbers).collect());
        assertEquals(0, calls[0]);
    }

    @Test
    void whenCopyingIsSwitchedOff_thenTasksShareTheDriversObjects() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, false).build()) {
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            kc.parallelize(DATA, 4).foreach(seen::add);
            assertEquals(DATA, seen.stream().sorted().toList());
        }
    }

    @Test
    void whenAJobFunctionCannotBeSerialized_thenTheJobFailsBeforeAnyTaskNamingTheCulprit(KindlingContext kc) {
        Object notSerializable = new Object();
        RDD<Integer> rdd = kc.parallelize(DATA, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kc.runJob(rdd, (ctx, it) -> notSerializable.hashCode()));
        assertTrue(e.getMessage().contains("Task not serializable") && e.getMessage().contains("java.lang.Object"),
                e.getMessage());
    }
}
