package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The DAG picture of a job: boxes, RDDs, edges and marks as the stage descriptions say. */
class DagSvgTest {

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static SchedulerEvent.RddInfo rdd(int id, boolean cached, Integer... parents) {
        return new SchedulerEvent.RddInfo(id, "r" + id, "r" + id + " at X.java:1", 2, cached ? "MEMORY_AND_DISK" : "NONE",
                List.of(parents));
    }

    @Test
    void whenAJobJoinsTwoShufflesOneOfThemSkipped_thenEachStageIsABoxTheSkippedOneDashedAndShufflesAreArrows() {
        // Stage 1 (skipped: its output existed) and stage 2 feed stage 3, which reads both shuffles.
        SchedulerEvent.StageInfo map = new SchedulerEvent.StageInfo(2, 0, "map", 2, true, List.of(),
                List.of(rdd(5, false, 4), rdd(4, true)));
        SchedulerEvent.StageInfo join = new SchedulerEvent.StageInfo(3, 0, "join", 2, false, List.of(1, 2),
                List.of(rdd(7, false, 6), rdd(6, false, 3, 5)));
        String svg = DagSvg.svg(List.of(map, join), Map.of(2, "COMPLETE", 3, "ACTIVE"), "");
        assertEquals(3, count(svg, "<rect class=\"stage-box\""), svg);
        assertEquals(1, count(svg, "<g class=\"stage skipped\" id=\"stage-1\""), svg);
        assertEquals(1, count(svg, "<g class=\"stage complete\" id=\"stage-2\""), svg);
        assertEquals(1, count(svg, "<g class=\"stage active\" id=\"stage-3\""), svg);
        assertEquals(2, count(svg, "<line class=\"shuffle-edge\""), svg);
        assertTrue(svg.contains("data-from=\"1\" data-to=\"3\"") && svg.contains("data-from=\"2\" data-to=\"3\""), svg);
        assertEquals(4, count(svg, "<g class=\"rdd"), "the RDDs of the two stages that ran");
        assertEquals(1, count(svg, "<g class=\"rdd cached\" data-rdd-id=\"4\""), svg);
        assertEquals(2, count(svg, "<line class=\"narrow-edge\""), "4 -> 5 and 6 -> 7 inside their stages");
        // Columns: the join stands right of both parents.
        Matcher x = Pattern.compile("id=\"stage-(\\d)\" data-stage-id=\"\\d\"><rect class=\"stage-box\" x=\"(\\d+)\"").matcher(svg);
        int[] xs = new int[4];
        while (x.find()) {
            xs[Integer.parseInt(x.group(1))] = Integer.parseInt(x.group(2));
        }
        assertEquals(xs[1], xs[2]);
        assertTrue(xs[3] > xs[2], svg);
    }
}
