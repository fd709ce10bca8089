package dev.kindling.internal.executor;

import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.ShuffleBlockFetcher;
import dev.kindling.internal.shuffle.ShuffleReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.internal.scheduler.TaskFunction;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskBinary;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskKilledException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor on its own, driven by task descriptions only: it reports RUNNING then exactly one final
 * update per task, a task killed before it starts reports KILLED (never started) and nothing else,
 * and a running task that is killed reports KILLED with the kill as its failure.
 */
class ExecutorTest {

    @TempDir
    Path dir;

    /** Partition p holds 0 .. 9. */
    record Tens(int partitions) implements Lineage, Serializable {
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
            return IntStream.range(0, 10).boxed().iterator();
        }

        @Override
        public String describe() {
            return "Tens";
        }
    }

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private ExecutorEnv env() {
        MemoryManager memory = new MemoryManager(64L << 20);
        BlockManager blocks = new BlockManager(memory, KryoSerializer.create(), dir.resolve("b"));
        SpillingShuffleStore shuffle = new SpillingShuffleStore(memory, KryoSerializer.create(), dir.resolve("s"));
        opened.add(blocks);
        opened.add(shuffle);
        ShuffleReader reader = new ShuffleReader(shuffle, new MapOutputTracker(),
                new ExecutorLocation("exec-1", "localhost", 0), ShuffleBlockFetcher.LOCAL_ONLY, KryoSerializer.create());
        return new ExecutorEnv("exec-1", 1, memory, blocks, shuffle, KryoSerializer.create(), dir, reader,
                new OutputCommitCoordinator(), new BroadcastCache(id -> new byte[0]));
    }

    private static TaskDescription task(long id, TaskFunction<?> f, boolean serialized) {
        TaskBinary.ResultTask payload = new TaskBinary.ResultTask(new Tens(1), f);
        TaskBinary binary = serialized ? TaskBinary.serialize(payload, null) : TaskBinary.of(payload);
        return new TaskDescription(id, 0, 0, 0, 0, 0, binary, new long[0], new long[0], Map.of(), TaskClosure.Mode.COPY);
    }

    private static final TaskFunction<Integer> SUM = (ctx, it) -> {
        int s = 0;
        while (it.hasNext()) {
            s += (Integer) it.next();
        }
        return s;
    };

    @Test
    void aTaskReportsRunningThenFinishedWithItsResultFromObjectsAndFromBytes() {
        for (boolean serialized : new boolean[] {false, true}) {
            List<StatusUpdate> updates = Collections.synchronizedList(new ArrayList<>());
            List<FutureTask<?>> slots = new ArrayList<>();
            Executor executor = new Executor(env(), (r, d) -> {
                FutureTask<?> t = new FutureTask<>(r, null);
                slots.add(t);
                return t;
            }, updates::add, serialized);
            executor.launch(task(7, SUM, serialized));
            slots.forEach(FutureTask::run);
            assertEquals(2, updates.size(), updates.toString());
            assertEquals(StatusUpdate.State.RUNNING, updates.get(0).state());
            StatusUpdate end = updates.get(1);
            assertEquals(StatusUpdate.State.FINISHED, end.state());
            assertEquals(serialized, end.isSerialized());
            assertEquals(45, end.result(null), "0 + 1 + ... + 9");
            assertEquals(0, executor.activeTasks());
        }
    }

    @Test
    void aTaskKilledBeforeItStartsReportsKilledNeverStartedAndRunsNothing() {
        List<StatusUpdate> updates = Collections.synchronizedList(new ArrayList<>());
        List<FutureTask<?>> slots = new ArrayList<>();
        Executor executor = new Executor(env(), (r, d) -> {
            FutureTask<?> t = new FutureTask<>(r, null);
            slots.add(t);
            return t;
        }, updates::add, false);
        executor.launch(task(3, SUM, false));
        executor.killTask(3, true, "stage no longer needed");
        slots.forEach(FutureTask::run);
        assertEquals(1, updates.size(), updates.toString());
        StatusUpdate only = updates.get(0);
        assertEquals(StatusUpdate.State.KILLED, only.state());
        assertFalse(only.started());
        assertEquals("stage no longer needed", only.status());
        assertEquals(0, executor.activeTasks());
    }

    @Test
    void aRunningTaskThatIsKilledReportsKilledWithTheKillAsItsFailure() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<StatusUpdate> updates = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ended = new CountDownLatch(1);
        ExecutorThreadPool pool = new ExecutorThreadPool(1);
        try {
            Executor executor = new Executor(env(), pool::submit, u -> {
                updates.add(u);
                if (u.state().isFinal()) {
                    ended.countDown();
                }
            }, false);
            TaskFunction<Integer> spin = (ctx, it) -> {
                started.countDown();
                while (true) {
                    ctx.checkKilled();
                    Thread.onSpinWait();
                }
            };
            executor.launch(task(9, spin, false));
            assertTrue(started.await(30, TimeUnit.SECONDS));
            executor.killTask(9, true, "job cancelled");
            assertTrue(ended.await(30, TimeUnit.SECONDS));
            StatusUpdate end = updates.get(updates.size() - 1);
            assertEquals(StatusUpdate.State.KILLED, end.state());
            assertInstanceOf(TaskKilledException.class, end.failure(null));
        } finally {
            pool.shutdown(10_000);
        }
    }
}
