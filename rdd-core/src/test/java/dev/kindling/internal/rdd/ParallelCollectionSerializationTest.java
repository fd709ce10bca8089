package dev.kindling.internal.rdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.scheduler.backend.TaskBytes;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A parallelized list inside a task's bytes: lists of one boxed primitive type travel as a primitive
 * array, every list comes back equal, element for element and slice for slice.
 */
@ExtendWith(LocalContext.class)
class ParallelCollectionSerializationTest {

    private static <T> RDD<T> roundTrip(RDD<T> rdd) throws Exception {
        return TaskBytes.deserialize(TaskBytes.serialize(rdd, null), RDD.class, ParallelCollectionSerializationTest.class.getClassLoader());
    }

    private static <T> List<T> partition(RDD<T> rdd, int p) throws Exception {
        List<T> out = new ArrayList<>();
        rdd.iterator(p, new TaskContext(1, 0, p, 0, 0, 1L)).forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyKindOfListComesBackEqualSliceForSlice(KindlingContext kc) throws Exception {
        List<List<?>> lists = List.of(
                IntStream.range(-500, 500).boxed().toList(),
                LongStream.range(0, 1000).map(i -> i * 3_000_000_007L).boxed().toList(),
                IntStream.range(0, 1000).mapToObj(i -> i / 7.0).toList(),
                Arrays.asList(1, 2, null, 4),
                Arrays.asList(1, 2L, 3.0, "four"),
                List.of("alpha", "beta", "gamma"),
                List.of());
        for (List<?> list : lists) {
            RDD<?> copy = roundTrip(kc.parallelize(list, 3));
            List<Object> all = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int from = p * list.size() / 3;
                int to = (p + 1) * list.size() / 3;
                assertEquals(list.subList(from, to), partition(copy, p), "slice " + p + " of " + list);
                all.addAll(partition(copy, p));
            }
            assertEquals(list, all);
        }
    }

    @Test
    void aListOfIntegersTravelsAsAnIntArray(KindlingContext kc) throws Exception {
        List<Integer> ints = IntStream.range(100_000, 110_000).boxed().toList();
        int packed = TaskBytes.serialize(kc.parallelize(ints, 2), null).length;
        int boxed = TaskBytes.serialize(new ArrayList<>(ints), null).length;
        assertTrue(packed < 4 * ints.size() + 2_000, "10,000 ints took " + packed + " bytes");
        assertTrue(boxed > 2 * packed, "a boxed list of the same ints took " + boxed + " bytes, the RDD " + packed);
    }
}
