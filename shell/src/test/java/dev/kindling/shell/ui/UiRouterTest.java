package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.eventlog.ApplicationInfo;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routes and rules without sockets: every user string on every page is escaped, the Host rule of a
 * loopback UI, the methods allowed, the static files, and what unknown pages answer.
 */
class UiRouterTest {

    static final String XSS = "<script>alert(1)</script>";
    static final String IMG = "<img src=x onerror=alert(2)>";
    static final String QUOTES = "\"'><b>bold</b>&amp;";

    /** A store whose job description, RDD name, stage name, failure and configuration hold markup. */
    static StatusStore hostileStore() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("kindling.app.name", XSS);
        conf.put("my.key" + IMG, QUOTES);
        conf.put("my.password", "hunter2");
        StatusStore store = new StatusStore(new ApplicationInfo(1, "local-5-0", XSS, 5, IMG, "v", conf),
                StatusStore.Limits.DEFAULT, 1);
        SchedulerEvent.RddInfo rdd = new SchedulerEvent.RddInfo(0, XSS, IMG + " at Evil.java:1", 1, "MEMORY_ONLY", List.of());
        SchedulerEvent.StageInfo stage = new SchedulerEvent.StageInfo(0, 0, IMG, 1, false, List.of(), List.of(rdd));
        SchedulerEvent.TaskInfo task = new SchedulerEvent.TaskInfo(0, 0, 0, QUOTES);
        List.of(new SchedulerEvent.JobStart(10, 0, XSS, IMG, List.of(0), List.of(stage)),
                new SchedulerEvent.StageSubmitted(11, stage),
                new SchedulerEvent.TaskStart(12, 0, 0, task),
                new SchedulerEvent.TaskEnd(13, 0, 0, task, new TaskMetrics(), null, new IllegalStateException(XSS + IMG)),
                new SchedulerEvent.StageCompleted(14, stage, "failed: " + XSS),
                new SchedulerEvent.JobEnd(15, 0, new IllegalStateException(IMG))).forEach(e -> e.deliverTo(store));
        return store;
    }

    private static UiRouter router(UiApp app, boolean tokenRequired) {
        return new UiRouter(UiApps.live(app), new UiSecurity("tok", tokenRequired, false, true));
    }

    private static UiResponse get(UiRouter router, String uri) {
        return router.handle(UiRequest.of("GET", uri, null, "127.0.0.1:4040", null, null));
    }

    @Test
    void whenUserStringsHoldMarkup_thenEveryPageShowsThemAsTextAndNoneAsMarkup() {
        UiRouter router = router(new UiApp(hostileStore(), null), false);
        for (String uri : List.of("/jobs/", "/jobs/job/?id=0", "/stages/", "/stages/stage/?id=0&attempt=0",
                "/storage/", "/storage/rdd/?id=0", "/executors/", "/environment/")) {
            UiResponse r = get(router, uri);
            assertEquals(200, r.status(), uri);
            String html = r.bodyText();
            assertFalse(html.contains("<script>alert"), uri + " has a raw script element:\n" + html);
            assertFalse(html.contains("<img"), uri + " has a raw img element");
            assertFalse(html.contains("<b>bold"), uri + " has raw markup");
            assertFalse(html.contains("hunter2"), uri + " shows a secret");
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), uri + " shows the name as text");
            // The only script element is the bundled one.
            assertEquals(1, html.split("<script", -1).length - 1, uri);
        }
        assertTrue(get(router, "/environment/").bodyText().contains(ApplicationInfo.REDACTED));
    }

    @Test
    void whenEscaping_thenTheFiveHtmlCharactersAreReplacedAndOtherTextIsKept() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
                Html.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("plain \u00e9 \u4e2d", Html.escape("plain \u00e9 \u4e2d"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void whenALoopbackUiGetsARequestForAnotherHost_thenItRefuses() {
        UiRouter router = router(new UiApp(hostileStore(), null), false);
        for (String host : List.of("localhost:4040", "127.0.0.1", "[::1]:4040", "127.0.1.1:80")) {
            assertEquals(200, router.handle(UiRequest.of("GET", "/jobs/", null, host, null, null)).status(), host);
        }
        for (String host : List.of("evil.example:4040", "localhost.evil.example", "10.0.0.1:4040")) {
            UiResponse r = router.handle(UiRequest.of("GET", "/jobs/", null, host, null, null));
            assertEquals(403, r.status(), host);
            assertTrue(r.bodyText().contains("loopback host"), r.bodyText());
        }
        assertEquals(403, router.handle(UiRequest.of("GET", "/jobs/", null, null, null, null)).status());
    }

    @Test
    void whenMethodsOtherThanGetAndTheKillPostsArrive_thenTheyAreRefused() {
        UiRouter router = router(new UiApp(hostileStore(), null), false);
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            assertEquals(405, router.handle(UiRequest.of(method, "/jobs/", null, "127.0.0.1", null, null)).status());
        }
        assertEquals(405, router.handle(UiRequest.of("POST", "/api/v1/applications", "", "127.0.0.1", null, null))
                .status());
        assertEquals(403, router.handle(UiRequest.of("POST", "/jobs/job/kill/", "id=0", "127.0.0.1",
                "kindling_ui_token=tok", null)).status(), "kill is off");
    }

    @Test
    void whenAPageOrObjectIsUnknown_thenTheAnswerIs404AndSaysWhereToStart() {
        UiRouter router = router(new UiApp(hostileStore(), null), false);
        for (String uri : List.of("/nope", "/jobs/job/?id=99", "/stages/stage/?id=0&attempt=3", "/storage/rdd/?id=7",
                "/jobs/job/?id=abc", "/static/../../etc/passwd")) {
            UiResponse r = get(router, uri);
            assertEquals(404, r.status(), uri);
            assertTrue(r.bodyText().contains("start from /jobs/"), r.bodyText());
        }
        assertEquals(404, get(router, "/api/v1/applications/other-app/jobs").status());
        assertEquals(404, get(router, "/api/v1/applications/local-5-0/jobs/99").status());
        assertEquals(303, get(router, "/").status());
        assertEquals("/jobs/", get(router, "/").headers().get("Location"));
    }

    @Test
    void whenTheBundledFilesAreAskedFor_thenTheyComeFromTheJarWithTheirTypes() {
        UiRouter router = router(new UiApp(hostileStore(), null), false);
        UiResponse css = get(router, "/static/kindling-ui.css");
        assertEquals(200, css.status());
        assertTrue(css.contentType().startsWith("text/css"));
        assertTrue(css.bodyText().contains("svg.dag"));
        UiResponse js = get(router, "/static/kindling-ui.js");
        assertEquals(200, js.status());
        assertTrue(js.contentType().startsWith("text/javascript"));
        // Nothing is loaded from elsewhere: no absolute URL in the pages or the bundled files.
        for (String uri : List.of("/jobs/", "/jobs/job/?id=0", "/static/kindling-ui.css", "/static/kindling-ui.js")) {
            String body = get(router, uri).bodyText().replace("http://www.w3.org/2000/svg", "");
            assertFalse(body.contains("http://") || body.contains("https://") || body.contains("//cdn"), uri);
        }
    }

    @Test
    void whenTheQuantilesOfAStageAreComputed_thenTheyAreTheNearestRanksOfTheSortedValues() {
        long[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertEquals(1, StagePage.quantile(values, 0));
        assertEquals(4, StagePage.quantile(values, 0.25)); // rank 2.5 rounds to 3 (0-based): the fourth value
        assertEquals(6, StagePage.quantile(values, 0.5));
        assertEquals(9, StagePage.quantile(values, 0.75));
        assertEquals(11, StagePage.quantile(values, 1));
        assertEquals(42, StagePage.quantile(new long[] {42}, 0.5));
    }
}
