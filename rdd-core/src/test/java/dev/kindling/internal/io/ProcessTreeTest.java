package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.testing.MarkedProcesses;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link ProcessTree} finds the processes a command started: through its process group, and,
 * where there is none (no setsid), through snapshots that remember children after their parent died.
 */
class ProcessTreeTest {

    private final MarkedProcesses marked = new MarkedProcesses();

    @AfterEach
    void killLeftovers() {
        marked.close();
    }

    private ProcessBuilder pipeline() {
        String m = marked.marker();
        return new ProcessBuilder("sh", "-c", "sleep " + m + " | tr " + m + " " + m)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    @Test
    void withoutAProcessGroup_childrenSeenInASnapshotAreKilledAfterTheirParentDied() throws Exception {
        ProcessTree tree = ProcessTree.start(pipeline(), false);
        marked.awaitRunning(3);
        Set<ProcessHandle> seen = tree.members(); // the snapshot: sh, sleep and tr
        assertEquals(3, seen.size(), seen.toString());
        tree.root().toHandle().destroyForcibly(); // only sh dies; sleep and tr go to init
        assertTrue(tree.root().waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, marked.live().size(), "the orphans still run: " + marked.live());
        assertEquals(2, tree.members().size());
        assertTrue(tree.destroy(10_000));
        marked.assertNoneLeft();
    }

    /** Needs util-linux setsid (Linux), as the build machines have. */
    @Test
    void theWholeTreeIsFoundWithoutASnapshotWhereTheCommandLeadsItsOwnGroup() throws Exception {
        String m = marked.marker();
        // sh exits at once: its child is reparented before anyone could take a snapshot.
        ProcessTree tree = ProcessTree.start(new ProcessBuilder("sh", "-c", "sleep " + m + " >/dev/null 2>&1 &"), true);
        assertTrue(tree.root().waitFor(60, TimeUnit.SECONDS));
        marked.awaitRunning(1);
        assertTrue(tree.destroy(10_000));
        marked.assertNoneLeft();
    }

    @Test
    void statLinesAreReadAfterTheLastParenthesisAndZombiesDoNotCount() {
        assertArrayEquals(new long[] {1, 42}, ProcessTree.parseStat("42 (a) b (c)) S 1 42 42 0 -1 4194560"));
        assertNull(ProcessTree.parseStat("43 (sleep) Z 1 43 43 0 -1"));
        assertNull(ProcessTree.parseStat("garbage"));
    }
}
