package dev.kindling.internal.scheduler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.TaskLocality;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Delay scheduling without processes: fake executors on fake hosts, and the time given to every call.
 * Executors A and B are on host h1, C on h2 (unless a test says otherwise).
 */
class LocalityQueueTest {

    private static final long STAGE = 1L << 32;

    private static LocalityQueue<String> queue(long processMs, long nodeMs) {
        LocalityQueue<String> q = new LocalityQueue<>(new LocalityWait(processMs, nodeMs));
        q.executorAdded("A", "h1");
        q.executorAdded("B", "h1");
        q.executorAdded("C", "h2");
        return q;
    }

    private static TaskPreferences onExecutor(String id) {
        return TaskPreferences.executors(Set.of(id));
    }

    private static TaskPreferences onHost(String host) {
        return TaskPreferences.hosts(Set.of(host));
    }

    private static void assertPlaced(String task, TaskLocality locality, LocalityQueue.Placed<String> placed) {
        assertEquals(task + "@" + locality, placed == null ? "nothing" : placed.task() + "@" + placed.locality());
    }

    @Test
    void whenExecutorsHoldTheirTasksBlocks_thenEachGetsItsOwnTaskProcessLocal() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        q.add(1, STAGE, onExecutor("C"), "t1", 0);
        q.add(2, STAGE, onExecutor("A"), "t2", 0);
        assertPlaced("t1", TaskLocality.PROCESS_LOCAL, q.poll("C", 0));
        assertPlaced("t0", TaskLocality.PROCESS_LOCAL, q.poll("A", 0));
        assertPlaced("t2", TaskLocality.PROCESS_LOCAL, q.poll("A", 1));
        assertTrue(q.isEmpty());
    }

    @Test
    void whenTheHoldingExecutorIsBusy_thenOthersWaitTheProcessWaitThenTheNodeWait() {
        LocalityQueue<String> q = queue(3_000, 2_000);
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        assertNull(q.poll("B", 0), "B (same host) must wait while A may still free up");
        assertNull(q.poll("C", 2_999));
        assertEquals(1, q.nextWaitEnd(2_999));
        // The process wait is over: B, on A's host, may take it NODE_LOCAL; C, on another host, still waits.
        assertNull(q.poll("C", 3_000));
        assertEquals(2_000, q.nextWaitEnd(3_000));
        assertPlaced("t0", TaskLocality.NODE_LOCAL, q.poll("B", 3_000));
        assertEquals(-1, q.nextWaitEnd(3_000), "nothing waits any more");
    }

    @Test
    void whenBothWaitsRunOut_thenAnyExecutorTakesTheTaskAtLevelAny() {
        LocalityQueue<String> q = queue(3_000, 2_000);
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        assertNull(q.poll("C", 4_999));
        assertPlaced("t0", TaskLocality.ANY, q.poll("C", 5_000));
    }

    @Test
    void whenTasksHaveNoPreference_thenTheyRunAtOnceWhileOthersWait() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        q.add(1, STAGE, TaskPreferences.NONE, "t1", 0);
        assertPlaced("t1", TaskLocality.NO_PREF, q.poll("C", 0));
        assertNull(q.poll("C", 0), "t0 still waits for A");
    }

    @Test
    void whenALaunchHappensAtTheProcessLevel_thenTheWaitStartsAgain() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        for (int i = 0; i < 3; i++) {
            q.add(i, STAGE, onExecutor("A"), "t" + i, 0);
        }
        assertPlaced("t0", TaskLocality.PROCESS_LOCAL, q.poll("A", 0));
        assertPlaced("t1", TaskLocality.PROCESS_LOCAL, q.poll("A", 2_500));
        assertNull(q.poll("C", 3_500), "the wait counts from A's last launch at 2500");
        assertEquals(2_000, q.nextWaitEnd(3_500));
        assertNull(q.poll("C", 5_499));
        assertNull(q.poll("C", 5_500), "C is on another host: it waits for the node level too");
        assertPlaced("t2", TaskLocality.NODE_LOCAL, q.poll("B", 5_500));
    }

    @Test
    void whenInputIsOnAHost_thenAnExecutorOnThatHostTakesItNodeLocalAtOnce() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        q.add(0, STAGE, onHost("h2"), "split0", 0);
        q.add(1, STAGE, onHost("h1"), "split1", 0);
        // No task prefers an executor, so the process level is skipped at once.
        assertPlaced("split0", TaskLocality.NODE_LOCAL, q.poll("C", 0));
        assertNull(q.poll("C", 0), "split1's host has live executors: C waits the node wait");
        assertPlaced("split1", TaskLocality.NODE_LOCAL, q.poll("B", 0));
    }

    @Test
    void whenTheInputsHostHasNoExecutor_thenTheTaskRunsAnywhereAtOnce() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        q.add(0, STAGE, onHost("datanode-7"), "split0", 0);
        q.add(1, STAGE, onExecutor("gone"), "t1", 0);
        assertPlaced("split0", TaskLocality.ANY, q.poll("C", 0));
        assertPlaced("t1", TaskLocality.ANY, q.poll("C", 0));
    }

    @Test
    void whenTheHoldingExecutorIsLost_thenItsTasksRunElsewhereAtOnce() {
        LocalityQueue<String> q = new LocalityQueue<>(new LocalityWait(60_000, 60_000));
        q.executorAdded("A", "h1");
        q.executorAdded("C", "h2");
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        q.add(1, STAGE, onExecutor("A"), "t1", 0);
        assertPlaced("t0", TaskLocality.PROCESS_LOCAL, q.poll("A", 0));
        assertNull(q.poll("C", 10));
        q.executorRemoved("A");
        assertNull(q.poll("A", 20), "a lost executor gets nothing");
        assertPlaced("t1", TaskLocality.ANY, q.poll("C", 20));
        assertTrue(q.isEmpty());
    }

    @Test
    void whenWaitsAreZero_thenNothingWaits() {
        LocalityQueue<String> q = queue(0, 0);
        q.add(0, STAGE, onExecutor("A"), "t0", 0);
        assertPlaced("t0", TaskLocality.ANY, q.poll("C", 0));
    }

    @Test
    void taskSetsAreServedInTheOrderTheyCameAndTasksCanBeRemovedOrDrained() {
        LocalityQueue<String> q = queue(3_000, 3_000);
        q.add(0, STAGE, TaskPreferences.NONE, "s1t0", 0);
        q.add(1, 2 * STAGE, TaskPreferences.NONE, "s2t0", 0);
        q.add(2, STAGE, TaskPreferences.NONE, "s1t1", 0);
        q.add(3, 2 * STAGE, onExecutor("A"), "s2t1", 0);
        assertPlaced("s1t0", TaskLocality.NO_PREF, q.poll("C", 0));
        assertEquals("s1t1", q.remove(2));
        assertNull(q.remove(2), "removed already");
        assertPlaced("s2t0", TaskLocality.NO_PREF, q.poll("C", 0));
        assertEquals(1, q.size());
        assertEquals(List.of("s2t1"), q.drain());
        assertTrue(q.isEmpty());
        assertNull(q.poll("A", 0));
    }

    @Test
    void waitsAreReadFromTheConfigurationWithUnitsAndPerLevelOverrides() {
        assertEquals(new LocalityWait(3_000, 3_000), LocalityWait.of(Map.of()));
        assertEquals(new LocalityWait(500, 500), LocalityWait.of(Map.of(LocalityWait.WAIT, "500ms")));
        assertEquals(new LocalityWait(60_000, 2), LocalityWait.of(Map.of(LocalityWait.WAIT, "1min",
                LocalityWait.WAIT_NODE, "2")));
        assertEquals(new LocalityWait(0, 3_000), LocalityWait.of(Map.of(LocalityWait.WAIT_PROCESS, "0s")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalityWait.of(Map.of(LocalityWait.WAIT_NODE, "soon")));
        assertTrue(e.getMessage().contains("kindling.locality.wait.node") && e.getMessage().contains("\"soon\""),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalityWait.of(Map.of(LocalityWait.WAIT, "-1")));
    }
}
