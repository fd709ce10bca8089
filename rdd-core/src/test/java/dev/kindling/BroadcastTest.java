package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.function.Function;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.testing.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Broadcast variables: values in tasks and on the driver, unpersist, destroy, serialized handles. */
@ExtendWith(LocalContext.class)
class BroadcastTest {

    private static final List<Integer> DATA = IntStream.range(0, 200).boxed().toList();

    /** Counts how often it is deserialized, to observe the executors' copy. */
    static final class CountingValue implements Serializable {
        static final AtomicInteger DESERIALIZED = new AtomicInteger();
        final int factor;

        CountingValue(int factor) {
            this.factor = factor;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.incrementAndGet();
        }
    }

    @Test
    void tasksReadTheBroadcastValue(KindlingContext kc) {
        Map<Integer, String> names = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            names.put(i, "n" + i);
        }
        Broadcast<Map<Integer, String>> table = kc.broadcast(names);
        List<String> got = kc.parallelize(DATA, 4).map(x -> table.value().get(x % 10)).collect();
        assertEquals(DATA.stream().map(x -> names.get(x % 10)).toList(), got);
        assertSame(names, table.value(), "on the driver, value() is the object that was broadcast");
    }

    @Test
    void tasksShareOneCopyMadeWhenFirstUsedAndUnaffectedByLaterDriverChanges(KindlingContext kc) {
        List<Integer> list = new ArrayList<>(List.of(1, 2, 3));
        Broadcast<List<Integer>> b = kc.broadcast(list);
        list.add(4);
        List<Integer> sizes = kc.parallelize(DATA, 4).mapPartitions(it -> List.of(b.value().size()).iterator()).collect();
        assertEquals(List.of(3, 3, 3, 3), sizes);
    }

    @Test
    void whenUnpersisted_thenTheNextTaskUseMakesAFreshCopyFromTheDriversForm(KindlingContext kc) {
        int before = CountingValue.DESERIALIZED.get();
        Broadcast<CountingValue> b = kc.broadcast(new CountingValue(3));
        RDD<Integer> scaled = kc.parallelize(DATA, 4).map(x -> x * b.value().factor);
        List<Integer> expected = DATA.stream().map(x -> x * 3).toList();
        assertEquals(expected, scaled.collect());
        assertEquals(expected, scaled.collect());
        assertEquals(1, CountingValue.DESERIALIZED.get() - before, "one copy shared by all tasks and jobs");
        b.unpersist();
        assertEquals(expected, scaled.collect());
        assertEquals(2, CountingValue.DESERIALIZED.get() - before, "unpersist dropped the copy; it was made again");
        assertEquals(3, b.value().factor);
        assertTrue(b.isValid());
    }

    @Test
    void whenDestroyed_thenAJobUsingItFailsWithTheReasonAsCause(KindlingContext kc) {
        Broadcast<Integer> b = kc.broadcast(7);
        RDD<Integer> plus = kc.parallelize(DATA, 2).map(x -> x + b.value());
        assertEquals(DATA.stream().mapToInt(x -> x + 7).sum(), plus.reduce(Integer::sum));
        b.destroy();
        JobFailedException e = assertThrows(JobFailedException.class, plus::count);
        assertTrue(e.getCause() instanceof IllegalStateException, "cause: " + e.getCause());
        IllegalStateException cause = (IllegalStateException) e.getCause();
        assertTrue(cause.getMessage().startsWith("Broadcast " + b.id() + " was destroyed (destroy at BroadcastTest.java:"),
                cause.getMessage());
        assertTrue(cause.getMessage().contains("created at broadcast at BroadcastTest.java:"), cause.getMessage());
        assertFalse(b.isValid());
    }

    @Test
    void whenDestroyed_thenTheDriverCanNoLongerUseIt(KindlingContext kc) {
        Broadcast<String> b = kc.broadcast("hello");
        assertEquals("hello", b.getValue());
        b.destroy();
        IllegalStateException e = assertThrows(IllegalStateException.class, b::value);
        assertTrue(e.getMessage().startsWith("Broadcast " + b.id() + " was destroyed"), e.getMessage());
        assertThrows(IllegalStateException.class, b::unpersist);
        assertThrows(IllegalStateException.class, b::destroy);
    }

    @Test
    void aHandleCapturedByAJavaSerializedFunctionFindsItsValueInTasksThroughTheExecutor(KindlingContext kc)
            throws Exception {
        Broadcast<Integer> offset = kc.broadcast(100);
        Function<Integer, Integer> f = x -> x + offset.value();
        @SuppressWarnings("unchecked")
        Function<Integer, Integer> copy = (Function<Integer, Integer>) roundTrip(f);
        assertEquals(DATA.stream().map(x -> x + 100).toList(), kc.parallelize(DATA, 3).map(copy).collect());
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> copy.call(1));
        assertTrue(outside.getMessage().contains("deserialized handle used outside a task"), outside.getMessage());
        offset.destroy();
        JobFailedException e = assertThrows(JobFailedException.class, () -> kc.parallelize(DATA, 3).map(copy).count());
        assertTrue(e.getCause().getMessage().contains("was destroyed"), e.getCause().getMessage());
    }

    @Test
    void handlesOfDifferentContextsWithTheSameIdResolveToTheirOwnValues() throws Exception {
        try (KindlingContext a = Kindling.local(1); KindlingContext b = Kindling.local(1)) {
            Broadcast<String> inA = a.broadcast("from a");
            Broadcast<String> inB = b.broadcast("from b");
            assertEquals(inA.id(), inB.id());
            Broadcast<?> copyA = (Broadcast<?>) roundTrip(inA);
            Broadcast<?> copyB = (Broadcast<?>) roundTrip(inB);
            assertEquals(List.of("from a"), a.parallelize(List.of(1), 1).map(x -> copyA.value()).collect());
            assertEquals(List.of("from b"), b.parallelize(List.of(1), 1).map(x -> copyB.value()).collect());
        }
    }

    @Test
    void whenTheContextIsClosed_thenDeserializedHandlesFailAndTheDriverHandleKeepsItsValue() throws Exception {
        Broadcast<String> b;
        Object serialized;
        try (KindlingContext kc = Kindling.local(1)) {
            b = kc.broadcast("kept");
            serialized = roundTrip(b);
        }
        assertEquals("kept", b.value());
        assertThrows(IllegalStateException.class, ((Broadcast<?>) serialized)::value);
        assertFalse(((Broadcast<?>) serialized).isValid());
    }

    @Test
    void whenTheProgramDropsItsHandle_thenTheBroadcastIsFreed(KindlingContext kc) throws Exception {
        Broadcast<String> kept = kc.broadcast("kept");
        long droppedId = kc.broadcast(new int[1000]).id();
        assertTrue(ContextCleanerTest.gcUntil(() -> !kc.broadcastManager().contains(droppedId)),
                "the dropped broadcast is still registered");
        Broadcast<?> copy = (Broadcast<?>) roundTrip(kept);
        assertEquals(List.of("kept"), kc.parallelize(List.of(1), 1).map(x -> copy.value()).collect());
    }

    @Test
    void whenTheProgramDropsItsHandle_thenTheExecutorsCopyIsFreed(KindlingContext kc) throws Exception {
        WeakReference<CountingValue> executorCopy = executorCopyOfADroppedBroadcast(kc);
        assertTrue(ContextCleanerTest.gcUntil(() -> executorCopy.get() == null),
                "the executors' copy of a broadcast the program dropped is still reachable");
    }

    /** Runs a job using a broadcast, then lets go of everything but a weak reference to the tasks' copy. */
    private static WeakReference<CountingValue> executorCopyOfADroppedBroadcast(KindlingContext kc) {
        Broadcast<CountingValue> b = kc.broadcast(new CountingValue(2));
        int before = CountingValue.DESERIALIZED.get();
        assertEquals(DATA.stream().map(x -> 2 * x).toList(),
                kc.parallelize(DATA, 2).map(x -> b.value().factor * x).collect());
        CountingValue copy = (CountingValue) kc.executorBroadcasts().cached(b.id());
        assertEquals(1, CountingValue.DESERIALIZED.get() - before, "this is the one copy the tasks read");
        assertNotSame(b.value(), copy);
        return new WeakReference<>(copy);
    }

    @Test
    void aValueThatCannotBeSerializedIsRejectedWithItsClass(KindlingContext kc) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kc.broadcast(new Object()));
        assertTrue(e.getMessage().startsWith("Cannot broadcast a value of class java.lang.Object (broadcast at "
                + "BroadcastTest.java:"), e.getMessage());
    }

    @Test
    void broadcastsWorkWhenTasksShareFunctionObjects() {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, false).build()) {
            Broadcast<Integer> b = kc.broadcast(3);
            assertEquals(DATA.stream().collect(Collectors.summingInt(x -> x * 3)),
                    kc.parallelize(DATA, 4).map(x -> x * b.value()).reduce(Integer::sum));
        }
    }

    private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
