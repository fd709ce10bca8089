package dev.kindling.shell.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The console bar's stage ids as OSC 8 terminal hyperlinks to the running status UI: the escape with
 * the stage page's address, which the UI answers with that stage's page; plain text when the UI is
 * off, the output is not a terminal, or the terminal is {@code TERM=dumb}.
 */
class ConsoleBarLinksTest {

    private static final String ESC = "\u001b";

    /** Records the stages submitted. */
    private static final class Stages implements SchedulerListener {
        final List<SchedulerEvent.StageInfo> submitted = new CopyOnWriteArrayList<>();

        @Override
        public void onStageSubmitted(SchedulerEvent.StageSubmitted event) {
            submitted.add(event.stage());
        }
    }

    @Test
    void whenTheUiRuns_thenStageIdsLinkToTheirPagesWhichTheUiServes() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("links")
                .config("kindling.ui.enabled", "true").config("kindling.ui.port", "0").build()) {
            Stages stages = new Stages();
            kc.addListener(stages);
            long groups = kc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
                    .mapToPair(x -> Pair.of(x % 7, x)).reduceByKey(Integer::sum, 3).count();
            assertEquals(7, groups);
            String start = kc.uiWebUrl().orElseThrow();
            assertFalse(start.contains("token="), "a loopback UI needs no token: " + start);

            ByteArrayOutputStream terminal = new ByteArrayOutputStream();
            long now = System.currentTimeMillis();
            ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8),
                    () -> 120, () -> now, true, () -> kc.uiWebUrl().orElse(null));
            assertTrue(bar.drawsLinks());
            SchedulerEvent.StageInfo shuffleStage = stages.submitted.get(0); // the map stage ran first
            bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now - 1_000, shuffleStage));
            bar.redraw(now);
            String out = terminal.toString(StandardCharsets.UTF_8);
            String url = start + "/stages/stage/?id=" + shuffleStage.stageId() + "&attempt=" + shuffleStage.attempt();
            String link = ESC + "]8;;" + url + ESC + "\\" + "Stage " + shuffleStage.stageId() + ESC + "]8;;" + ESC + "\\";
            assertTrue(out.contains("[" + link + ":"), "the stage id is a hyperlink to " + url + ": " + out);

            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), url + ": " + page.body());
            assertTrue(page.body().contains("Details for Stage " + shuffleStage.stageId() + " (Attempt "
                    + shuffleStage.attempt() + ")"), "the page of that stage: " + page.body());
        }
    }

    @Test
    void whenTheUiIsOff_thenTheBarHasNoEscapes() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("no links").build()) {
            assertTrue(kc.uiWebUrl().isEmpty());
            ByteArrayOutputStream terminal = new ByteArrayOutputStream();
            long now = System.currentTimeMillis();
            ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8),
                    () -> 120, () -> now, true, () -> kc.uiWebUrl().orElse(null));
            bar.onStageSubmitted(new SchedulerEvent.StageSubmitted(now - 1_000,
                    new SchedulerEvent.StageInfo(4, 0, "count", 8, false)));
            bar.redraw(now);
            String out = terminal.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("[Stage 4:"), out);
            assertFalse(out.contains(ESC), "no escape without a UI: " + out);
        }
    }

    @Test
    void whenStandardErrorIsNotATerminal_thenTheContextsBarDrawsNoLinks() {
        // Under the test runner standard error is a pipe or a file, never a terminal.
        try (KindlingContext kc = Kindling.builder().master("local[1]").appName("piped")
                .config("kindling.ui.enabled", "true").config("kindling.ui.port", "0").build()) {
            assertTrue(kc.uiWebUrl().isPresent());
            assertFalse(Terminals.isStderrTerminal());
            assertFalse(new ConsoleProgressBar(kc).drawsLinks());
        }
        assertFalse(ConsoleProgressBar.linksAllowed("dumb", true), "TERM=dumb gets no escapes");
        assertFalse(ConsoleProgressBar.linksAllowed("xterm-256color", false), "a pipe gets no escapes");
        assertTrue(ConsoleProgressBar.linksAllowed("xterm-256color", true));
        assertTrue(ConsoleProgressBar.linksAllowed(null, true));
    }

    @Test
    void whenTheUiNeedsItsToken_thenTheStageAddressCarriesIt() {
        assertEquals("http://10.0.0.5:4041/stages/stage/?id=3&attempt=1&token=abc123",
                ConsoleProgressBar.stageUrl("http://10.0.0.5:4041/?token=abc123", 3, 1));
        assertEquals("http://127.0.0.1:4040/stages/stage/?id=0&attempt=0",
                ConsoleProgressBar.stageUrl("http://127.0.0.1:4040", 0, 0));
    }

    @Test
    void whenTheLineIsCut_thenOnlyWholeStageIdsAreLinkedAndTheTextIsUnchanged() {
        List<StageProgress> stages = List.of(new StageProgress(1, 10, 5, 1), new StageProgress(22, 10, 0, 1, 2));
        String plain = ConsoleProgressBar.render(stages, 40);
        String linked = ConsoleProgressBar.withLinks(plain, stages, "http://h:1");
        assertEquals(plain, linked.replaceAll(ESC + "]8;;[^" + ESC + "]*" + ESC + "\\\\", ""),
                "only escapes were added");
        assertTrue(linked.contains("http://h:1/stages/stage/?id=22&attempt=2"), linked);
        String cut = ConsoleProgressBar.render(stages, 14);
        assertEquals(cut.contains("[Stage 22:") ? 2 : 1,
                ConsoleProgressBar.withLinks(cut, stages, "http://h:1").split(ESC + "]8;;http").length - 1);
    }
}
