package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which attempt commits a partition's output: the first to ask, released when it fails, as Spark's. */
class OutputCommitCoordinatorTest {

    @Test
    void theFirstAttemptToAskWinsAndKeepsItsPermissionWhileOthersAreDenied() {
        OutputCommitCoordinator c = new OutputCommitCoordinator();
        c.stageStarted(3);
        assertTrue(c.canCommit(3, 0, 7, 1), "first to ask");
        assertFalse(c.canCommit(3, 0, 7, 0), "an earlier attempt number asking later is denied");
        assertFalse(c.canCommit(3, 1, 7, 2), "an attempt of a later stage attempt is denied too");
        assertTrue(c.canCommit(3, 0, 7, 1), "the winner asking again");
        assertTrue(c.canCommit(3, 0, 8, 0), "another partition is independent");
    }

    @Test
    void whenTheWinnerFails_thenItsPermissionIsReleasedForTheNextAttempt() {
        OutputCommitCoordinator c = new OutputCommitCoordinator();
        c.stageStarted(1);
        assertTrue(c.canCommit(1, 0, 0, 0));
        c.taskFailed(1, 0, 0, 5); // another attempt failing releases nothing
        assertFalse(c.canCommit(1, 0, 0, 1));
        c.taskFailed(1, 0, 0, 0);
        assertTrue(c.canCommit(1, 0, 0, 1));
        assertFalse(c.canCommit(1, 0, 0, 0), "the failed attempt lost its permission");
    }

    @Test
    void attemptsOfAStageThatIsNotRunningAreDenied() {
        OutputCommitCoordinator c = new OutputCommitCoordinator();
        assertFalse(c.canCommit(9, 0, 0, 0), "never started");
        c.stageStarted(9);
        assertTrue(c.canCommit(9, 0, 0, 0));
        c.stageEnded(9);
        assertFalse(c.canCommit(9, 0, 0, 0), "ended: a zombie attempt commits nothing");
        assertEquals(0, c.stagesKnown());
    }

    @Test
    void writersOfASaveJobAreAdmittedByTagUntilTheJobEndsOrIsUnregistered() {
        OutputCommitCoordinator c = new OutputCommitCoordinator();
        AtomicInteger live = new AtomicInteger();
        boolean[] closed = {false};
        c.registerOutput("job-1", new OutputCommitCoordinator.OutputJob() {
            @Override
            public boolean enter() {
                if (closed[0]) {
                    return false;
                }
                live.incrementAndGet();
                return true;
            }

            @Override
            public void exit() {
                live.decrementAndGet();
            }
        });
        assertTrue(c.enter("job-1"));
        assertFalse(c.enter("job-2"), "an unknown job admits nobody");
        assertEquals(1, live.get());
        c.exit("job-1");
        assertEquals(0, live.get());
        closed[0] = true;
        assertFalse(c.enter("job-1"));
        c.unregisterOutput("job-1");
        assertFalse(c.enter("job-1"));
    }
}
