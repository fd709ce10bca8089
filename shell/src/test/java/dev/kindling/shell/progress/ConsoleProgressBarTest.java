package dev.kindling.shell.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line rendered for synthetic scheduler events on a fake terminal width and clock. */
class ConsoleProgressBarTest {

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong(10_000);
    private final ConsoleProgressBar bar = new ConsoleProgressBar(
            new PrintStream(terminal, true, StandardCharsets.UTF_8), () -> 61, now::get, false);

    @Test
    void whenOneStageIsPartlyDone_thenTheBarIsProportionalToFinishedTasks() {
        // head "[Stage 3:" (9) + tail "(37 + 2) / 64]" (14) leave 37 columns of bar; 37*37/64 = 21 '='
        String line = ConsoleProgressBar.render(List.of(new StageProgress(3, 64, 37, 2)), 60);
        assertEquals("[Stage 3:" + "=".repeat(21) + ">" + " ".repeat(15) + "(37 + 2) / 64]", line);
        assertEquals(60, line.length());
    }

    @Test
    void whenAStageIsComplete_thenTheBarIsFullWithoutArrow() {
        String line = ConsoleProgressBar.render(List.of(new StageProgress(0, 4, 4, 0)), 30);
        assertEquals("[Stage 0:" + "=".repeat(9) + "(4 + 0) / 4]", line);
    }

    @Test
    void whenNothingIsDone_thenOnlyTheArrowShows() {
        String line = ConsoleProgressBar.render(List.of(new StageProgress(12, 8, 0, 2)), 30);
        assertEquals("[Stage 12:> " + " ".repeat(6) + "(0 + 2) / 8]", line);
        assertEquals(30, line.length());
    }

    @Test
    void whenSeveralStagesRun_thenTheyShareTheWidthEqually() {
        String line = ConsoleProgressBar.render(
                List.of(new StageProgress(1, 10, 5, 1), new StageProgress(2, 10, 0, 1)), 60);
        assertEquals(60, line.length());
        String first = line.substring(0, 30);
        String second = line.substring(30);
        // 30 - 9 - 13 = 8 bar columns: 4 finished
        assertEquals("[Stage 1:====>   (5 + 1) / 10]", first);
        assertEquals("[Stage 2:>       (0 + 1) / 10]", second);
    }

    @Test
    void whenTheTerminalIsTooNarrowForABar_thenCountsAreStillShownWithinTheWidth() {
        String line = ConsoleProgressBar.render(List.of(new StageProgress(7, 100, 50, 4)), 24);
        assertEquals("[Stage 7:(50 + 4) / 100]", line);
        assertTrue(ConsoleProgressBar.render(List.of(new StageProgress(7, 100, 50, 4)), 10).length() <= 10);
    }

    @Test
    void whenNoStages_thenTheLineIsEmpty() {
        assertEquals("", ConsoleProgressBar.render(List.of(), 80));
    }

    @Test
    void eventsUpdateFinishedAndRunningCountsPerStage() {
        bar.onJobStart(new SchedulerEvent.JobStart(now.get(), 0, "count", null, List.of(5)));
        bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now.get(), stage(5, 4)));
        for (int p = 0; p < 3; p++) {
            bar.onTaskStart(new SchedulerEvent.TaskStart(now.get(), 5, 0, task(p)));
        }
        bar.onTaskEnd(taskEnd(5, 0, null));
        bar.onTaskEnd(taskEnd(5, 1, new RuntimeException("boom")));

        now.addAndGet(ConsoleProgressBar.SHOW_AFTER_MS);
        assertEquals(List.of(new StageProgress(5, 4, 1, 1)), bar.visibleStages(now.get()));
    }

    @Test
    void whenAStageHasRunLessThanHalfASecond_thenItIsNotShown() {
        bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now.get(), stage(1, 2)));
        now.addAndGet(ConsoleProgressBar.SHOW_AFTER_MS - 1);
        assertEquals(List.of(), bar.visibleStages(now.get()));
        now.addAndGet(1);
        assertEquals(1, bar.visibleStages(now.get()).size());
    }

    @Test
    void whenAStageEnds_thenTheLineIsErasedInPlace() {
        bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now.get(), stage(2, 4)));
        bar.onTaskStart(new SchedulerEvent.TaskStart(now.get(), 2, 0, task(0)));
        now.addAndGet(1_000);
        bar.redraw(now.get());
        String drawn = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r[Stage 2:>"), drawn);
        assertTrue(drawn.endsWith("(0 + 1) / 4]"), drawn);
        assertEquals(61, drawn.length(), "carriage return + a line one column narrower than the terminal");

        terminal.reset();
        bar.redraw(now.get());
        assertEquals("", terminal.toString(StandardCharsets.UTF_8), "an unchanged line is not redrawn");

        bar.onStageCompleted(new SchedulerEvent.StageCompleted(now.get(), stage(2, 4), null));
        bar.redraw(now.get());
        assertEquals("\r" + " ".repeat(60) + "\r", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whenTheLastJobEnds_thenTheLineIsErasedBeforeTheCallerGetsItsResult() {
        bar.onJobStart(new SchedulerEvent.JobStart(now.get(), 0, "count", null, List.of(4)));
        bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now.get(), stage(4, 2)));
        now.addAndGet(1_000);
        bar.redraw(now.get());
        terminal.reset();

        bar.onJobEnd(new SchedulerEvent.JobEnd(now.get(), 0, null));

        assertEquals("\r" + " ".repeat(60) + "\r", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whenEnabled_thenADaemonThreadDrawsWhileAJobRunsAndStopsAfterIt() throws Exception {
        try (ConsoleProgressBar live = new ConsoleProgressBar(
                new PrintStream(terminal, true, StandardCharsets.UTF_8), () -> 40, now::get, true)) {
            live.onJobStart(new SchedulerEvent.JobStart(now.get(), 0, "count", null, List.of(0)));
            live.onStageSubmitted(new SchedulerEvent.StageSubmitted(now.get() - 1_000, stage(0, 2)));
            assertTrue(live.isDrawing());
            waitFor(() -> terminal.toString(StandardCharsets.UTF_8).contains("[Stage 0:"));
            live.onStageCompleted(new SchedulerEvent.StageCompleted(now.get(), stage(0, 2), null));
            live.onJobEnd(new SchedulerEvent.JobEnd(now.get(), 0, null));
            waitFor(() -> !live.isDrawing());
            assertTrue(terminal.toString(StandardCharsets.UTF_8).endsWith("\r"), "the line is erased at the end");
        }
    }

    @Test
    void whenDisabled_thenNothingIsDrawnAndNoThreadStarts() {
        bar.onJobStart(new SchedulerEvent.JobStart(now.get(), 0, "count", null, List.of(0)));
        assertFalse(bar.isDrawing());
        assertEquals(0, terminal.size());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(20);
        }
    }

    private static SchedulerEvent.StageInfo stage(int id, int tasks) {
        return new SchedulerEvent.StageInfo(id, 0, "stage " + id, tasks, false);
    }

    private static SchedulerEvent.TaskInfo task(int partition) {
        return new SchedulerEvent.TaskInfo(partition, partition, 0, "kindling-executor-test");
    }

    private SchedulerEvent.TaskEnd taskEnd(int stageId, int partition, Throwable failure) {
        return new SchedulerEvent.TaskEnd(now.get(), stageId, 0, task(partition), new TaskMetrics(),
                failure == null ? "SUCCESS" : "FAILED", failure);
    }
}
