package dev.kindling.internal.scheduler.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.internal.scheduler.TaskFunction;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.RemoteTaskException;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskMetrics;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What crosses the task boundary survives encoding: task descriptions (every field, and a binary
 * that computes what the original computes), status updates (result, accumulator updates, metrics,
 * failures, including ones that do not serialize), and corrupt or truncated bytes fail with an
 * {@link IOException}, never anything else.
 */
class TaskBoundaryEncodingTest {

    /** A serializable source: partition p holds p*10 .. p*10+9. */
    record Numbers(int partitions) implements Lineage, Serializable {
        @Override
        public int id() {
            return 1;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public List<Dependency> dependencies() {
            return List.of();
        }

        @Override
        public Optional<Partitioner> partitioner() {
            return Optional.empty();
        }

        @Override
        public Iterator<?> iterator(int partition, TaskContext context) {
            return IntStream.range(partition * 10, partition * 10 + 10).boxed().iterator();
        }

        @Override
        public String describe() {
            return "Numbers(" + partitions + ")";
        }
    }

    private static final TaskFunction<Long> SUM = (ctx, it) -> {
        long s = 0;
        while (it.hasNext()) {
            s += (Integer) it.next();
        }
        return s;
    };

    private static TaskDescription description() {
        TaskBinary binary = TaskBinary.serialize(new TaskBinary.ResultTask(new Numbers(3), SUM), null);
        return new TaskDescription(42, 7, 3, 1, 2, 5, binary, new long[] {4, 9}, new long[] {11},
                Map.of("kindling.job.description", "sum", "ünïcode", "värde"), TaskClosure.Mode.COPY_ALWAYS);
    }

    @Test
    void aDecodedDescriptionHasEveryFieldAndItsBinaryComputesWhatTheOriginalComputes() throws Exception {
        TaskDescription original = description();
        TaskDescription decoded = TaskDescription.decode(original.encode(), null);
        assertEquals(original.taskId(), decoded.taskId());
        assertEquals(original.jobId(), decoded.jobId());
        assertEquals(original.stageId(), decoded.stageId());
        assertEquals(original.stageAttempt(), decoded.stageAttempt());
        assertEquals(original.partition(), decoded.partition());
        assertEquals(original.attemptNumber(), decoded.attemptNumber());
        assertArrayEquals(original.broadcastIds(), decoded.broadcastIds());
        assertArrayEquals(original.accumulatorIds(), decoded.accumulatorIds());
        assertEquals(original.properties(), decoded.properties());
        assertEquals(original.closureMode(), decoded.closureMode());
        TaskBinary.ResultTask task = (TaskBinary.ResultTask) decoded.binary().open();
        @SuppressWarnings("unchecked")
        TaskFunction<Long> f = (TaskFunction<Long>) task.function();
        long expected = IntStream.range(20, 30).sum(); // partition 2, closed form
        assertEquals(expected, f.apply(null, task.rdd().iterator(2, null)));
        assertEquals(expected, SUM.apply(null, new Numbers(3).iterator(2, null)));
    }

    @Test
    void everyTruncationAndRandomBytesFailWithAnIOException() throws Exception {
        byte[] full = description().encode();
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(full, n);
            assertThrows(IOException.class, () -> TaskDescription.decode(prefix, null), "prefix of " + n + " bytes");
        }
        Random random = new Random(12);
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 8) { // a valid header, then junk: reaches the length checks
                System.arraycopy(full, 0, junk, 0, 8);
            }
            assertThrows(IOException.class, () -> TaskDescription.decode(junk, null));
            assertThrows(IOException.class, () -> StatusUpdate.decode(junk));
        }
    }

    @Test
    void anUnserializedLocalBinaryRefusesToBeEncoded() {
        TaskBinary local = TaskBinary.of(new TaskBinary.ResultTask(new Numbers(1), SUM));
        assertFalse(local.isSerialized());
        TaskDescription d = new TaskDescription(1, 0, 0, 0, 0, 0, local, new long[0], new long[0], Map.of(),
                TaskClosure.Mode.COPY);
        IllegalStateException e = assertThrows(IllegalStateException.class, d::encode);
        assertTrue(e.getMessage().contains("kindling.task.serialization=auto"), e.getMessage());
    }

    @Test
    void aFunctionThatDoesNotSerializeFailsWhenTheBinaryIsMadeAndNamesTheStage() {
        Object notSerializable = new Object();
        TaskFunction<Integer> f = (ctx, it) -> notSerializable.hashCode();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskBinary.serialize(new TaskBinary.ResultTask(new Numbers(1), f), null));
        assertTrue(e.getMessage().startsWith("Task not serializable: the tasks of Numbers(1)"), e.getMessage());
    }

    @Test
    void aFinishedUpdateKeepsResultAccumulatorUpdatesMetricsAndStatus() throws Exception {
        TaskMetrics metrics = new TaskMetrics();
        metrics.addRecordsRead(123);
        TaskMetric.CPU_NANOS.record(metrics, 456);
        List<String> result = new ArrayList<>(List.of("a", "b"));
        StatusUpdate update = StatusUpdate.finished(9, "kindling-executor-1-1", result, Map.of(3L, 17L), metrics,
                "done");
        StatusUpdate decoded = StatusUpdate.decode(update.encode());
        assertEquals(StatusUpdate.State.FINISHED, decoded.state());
        assertEquals(9, decoded.taskId());
        assertEquals("kindling-executor-1-1", decoded.thread());
        assertEquals("done", decoded.status());
        assertTrue(decoded.started());
        assertEquals(result, decoded.result(null));
        assertEquals(Map.of(3L, 17L), decoded.accumulatorUpdates(null));
        assertEquals(123, decoded.metrics().recordsRead());
        assertEquals(456, decoded.metrics().cpuNanos());
        assertNull(decoded.failure(null));
    }

    /** An exception that refuses to be serialized. */
    static final class Unserializable extends RuntimeException {

        Unserializable(String message) {
            super(message);
        }

        private void writeObject(java.io.ObjectOutputStream out) throws IOException {
            throw new java.io.NotSerializableException("Unserializable refuses");
        }
    }

    @Test
    void aFailureThatSerializesArrivesAsItselfAndOneThatDoesNotAsAStandInWithClassMessageAndStack() throws Exception {
        IllegalArgumentException plain = new IllegalArgumentException("bad input 7");
        StatusUpdate ok = StatusUpdate.decode(StatusUpdate.failed(1, "t", plain, false, Map.of(), new TaskMetrics(), "")
                .encode());
        assertEquals(StatusUpdate.State.FAILED, ok.state());
        Throwable back = ok.failure(null);
        assertInstanceOf(IllegalArgumentException.class, back);
        assertEquals("bad input 7", back.getMessage());

        Unserializable odd = new Unserializable("cannot travel");
        odd.initCause(new IllegalStateException("root cause"));
        StatusUpdate standIn = StatusUpdate.decode(StatusUpdate.failed(2, "t", odd, false, Map.of(), new TaskMetrics(),
                "").encode());
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, standIn.failure(null));
        assertEquals(Unserializable.class.getName(), remote.className());
        assertTrue(remote.getMessage().contains("cannot travel"), remote.getMessage());
        assertArrayEquals(odd.getStackTrace(), remote.getStackTrace());
        RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, remote.getCause());
        assertEquals(IllegalStateException.class.getName(), cause.className());
    }

    @Test
    void aResultThatDoesNotSerializeBecomesAFailureThatSaysSo() throws Exception {
        StatusUpdate update = StatusUpdate.finished(5, "t", new Object(), Map.of(), new TaskMetrics(), "");
        StatusUpdate decoded = StatusUpdate.decode(update.encode());
        assertEquals(StatusUpdate.State.FAILED, decoded.state());
        Throwable failure = decoded.failure(null);
        assertTrue(failure.getMessage().contains("could not be serialized to reach the driver"), failure.getMessage());
    }

    @Test
    void aResultLeftInABlockTravelsAsItsIdAndSizeAndIsFetchedThenReleasedOnceRead() throws Exception {
        List<Integer> result = IntStream.range(0, 1000).boxed().toList();
        StatusUpdate serialized = StatusUpdate.finished(42, "t", new ArrayList<>(result), Map.of(1L, 2L),
                new TaskMetrics(), "").serialized();
        byte[] resultBytes = serialized.serializedResult();
        StatusUpdate inBlock = serialized.withResultBlock(ResultBlock.of(42, resultBytes.length));
        byte[] encoded = inBlock.encode();
        assertTrue(encoded.length < resultBytes.length, "the update carries the block's id, not the result");
        StatusUpdate decoded = StatusUpdate.decode(encoded);
        assertEquals(new ResultBlock("taskresult_42", resultBytes.length), decoded.resultBlock());
        assertEquals(resultBytes.length, decoded.resultSize());
        assertEquals(Map.of(1L, 2L), decoded.accumulatorUpdates(null));
        assertThrows(IllegalStateException.class, () -> decoded.result(null), "no fetcher attached");

        List<String> calls = new ArrayList<>();
        ResultBlock.Fetcher fetcher = new ResultBlock.Fetcher() {
            @Override
            public byte[] fetch(ResultBlock block) {
                calls.add("fetch " + block.blockId());
                return resultBytes;
            }

            @Override
            public void release(ResultBlock block) {
                calls.add("release " + block.blockId());
            }
        };
        assertEquals(result, decoded.withResultFetcher(fetcher).result(null));
        assertEquals(List.of("fetch taskresult_42", "release taskresult_42"), calls);
        calls.clear();
        decoded.withResultFetcher(fetcher).dropResult();
        assertEquals(List.of("release taskresult_42"), calls, "a dropped result is released unread");
    }

    @Test
    void onlyASerializedFinishedUpdateLeavesItsResultInABlockAndBadBlockIdsAreRefused() {
        StatusUpdate failed = StatusUpdate.failed(1, "t", new IllegalStateException("x"), false, Map.of(),
                new TaskMetrics(), "").serialized();
        assertThrows(IllegalStateException.class, () -> failed.withResultBlock(ResultBlock.of(1, 10)));
        assertThrows(IllegalArgumentException.class, () -> new ResultBlock("shuffle_1_2_3", 10));
        assertThrows(IllegalArgumentException.class, () -> new ResultBlock("taskresult_1", -1));
        assertFalse(ResultBlock.isResultBlockId("taskresult_../etc/passwd"));
    }
}
