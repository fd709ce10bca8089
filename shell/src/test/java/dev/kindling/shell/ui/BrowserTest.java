package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.FutureAction;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page in a real headless Chromium, while a job runs and after it ended: the DOM (after the
 * bundled script ran) has the job rows, the stage page's task rows, one DAG box per stage, the cached
 * RDD on the storage page, and an RDD named {@code <script>alert(1)</script>} as text with no script
 * element made of it. Screenshots go to {@code shell/target/ui-screenshots/}.
 */
@Tag("slow")
class BrowserTest {

    private static final long GUARD_S = 60;
    private static final String XSS = "<script>alert(1)</script>";
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static volatile CountDownLatch started;

    @TempDir
    Path scratch;

    private static int count(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Path screenshots() {
        return Path.of(System.getProperty("basedir", ".")).resolve("target/ui-screenshots");
    }

    @Test
    void whenPagesAreLoadedInChromiumWhileAJobRunsAndAfter_thenTheyShowJobsTasksTheDagAndTheCacheSafely() throws Exception {
        Chromium chromium = Chromium.find(scratch);
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("browser test")
                .config("kindling.ui.port", "0").build();
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            kc.addListener(ui);
            String base = "http://127.0.0.1:" + ui.port();

            // A finished job with a shuffle over a cached RDD with a hostile name.
            var numbers = kc.parallelize(IntStream.range(0, 2000).boxed().collect(Collectors.toList()), 4)
                    .setName(XSS).cache();
            Map<Integer, Integer> sums = new TreeMap<>(numbers.mapToPair(x -> Pair.of(x % 10, x))
                    .reduceByKey(Integer::sum, 3).collectAsMap());
            assertEquals(IntStream.range(0, 2000).boxed().collect(Collectors.groupingBy(x -> x % 10, TreeMap::new,
                    Collectors.summingInt(x -> x))), sums);

            // A running job: its tasks wait until the pages were loaded.
            started = new CountDownLatch(2);
            FutureAction<Long> running = kc.parallelize(List.of(1, 2), 2).map(x -> {
                started.countDown();
                RELEASE.await();
                return x;
            }).countAsync();
            assertTrue(started.await(GUARD_S, TimeUnit.SECONDS));
            String live = chromium.dumpDomAndScreenshot(base + "/jobs/", screenshots().resolve("jobs-running.png"),
                    1280, 800);
            assertTrue(live.contains("Active Jobs (1)"), live);
            assertEquals(1, count(live, "<tr class=\"job-row\" data-job-id=\"1\""), "the running job's row");
            assertTrue(live.contains("<body data-refresh=\"2\">"), "a live page updates itself");
            String runningStage = chromium.dumpDom(base + "/stages/stage/?id=2&attempt=0");
            assertEquals(2, count(runningStage, "<td>RUNNING</td>"), runningStage);
            RELEASE.countDown();
            assertEquals(2L, running.get(GUARD_S, TimeUnit.SECONDS));

            // After: every page, two browsers at a time (each takes seconds to start; more would only
            // compete for the CPUs of a small machine).
            ExecutorService browsers = Executors.newFixedThreadPool(2);
            Map<String, Future<String>> doms = new TreeMap<>();
            try {
                doms.put("jobs", browsers.submit(() -> chromium.dumpDomAndScreenshot(base + "/jobs/",
                        screenshots().resolve("jobs.png"), 1280, 800)));
                doms.put("job", browsers.submit(() -> chromium.dumpDomAndScreenshot(base + "/jobs/job/?id=0",
                        screenshots().resolve("job-dag.png"), 1100, 700)));
                doms.put("stage", browsers.submit(() -> chromium.dumpDomAndScreenshot(base + "/stages/stage/?id=1&attempt=0",
                        screenshots().resolve("stage.png"), 1280, 900)));
                doms.put("byDuration", browsers.submit(() -> chromium.dumpDom(base
                        + "/stages/stage/?id=0&attempt=0&sort=duration&desc=true")));
                doms.put("storage", browsers.submit(() -> chromium.dumpDomAndScreenshot(base + "/storage/",
                        screenshots().resolve("storage.png"), 1100, 500)));
                doms.put("partitions", browsers.submit(() -> chromium.dumpDom(base + "/storage/rdd/?id=0")));
                doms.put("stages", browsers.submit(() -> chromium.dumpDom(base + "/stages/")));
                doms.put("executors", browsers.submit(() -> chromium.dumpDom(base + "/executors/")));
                doms.put("environment", browsers.submit(() -> chromium.dumpDom(base + "/environment/")));
                for (Future<String> f : doms.values()) {
                    f.get(10 * GUARD_S, TimeUnit.SECONDS);
                }
            } finally {
                browsers.shutdownNow();
                assertTrue(browsers.awaitTermination(GUARD_S, TimeUnit.SECONDS));
            }
            String jobs = doms.get("jobs").get();
            assertEquals(2, count(jobs, "<tr class=\"job-row\""), jobs);
            assertTrue(jobs.contains("Completed Jobs (2)"), jobs);

            String job = doms.get("job").get();
            assertEquals(2, count(job, "<rect class=\"stage-box\""), "one DAG box per stage of the shuffle job");
            assertEquals(1, count(job, "<line class=\"shuffle-edge\""), "one shuffle edge");
            assertEquals(1, count(job, "<g class=\"rdd cached\""), "the cached RDD is marked");

            String stage = doms.get("stage").get();
            assertEquals(3, count(stage, "<tr class=\"task-row\""), "the reduce stage's 3 tasks are listed");
            assertTrue(stage.contains("Summary Metrics for 3 Completed Tasks"), stage);
            String byDuration = doms.get("byDuration").get();
            assertEquals(4, count(byDuration, "<tr class=\"task-row\""));
            List<Long> durations = new java.util.ArrayList<>();
            for (String row : byDuration.split("<tr class=\"task-row\"")) {
                Matcher v = Pattern.compile("data-v=\"(\\d+)\"").matcher(row);
                for (int i = 0; i < 5 && v.find(); i++) {
                    if (i == 4) {
                        durations.add(Long.parseLong(v.group(1))); // index, task id, attempt, launch time, duration
                    }
                }
            }
            List<Long> longestFirst = new java.util.ArrayList<>(durations);
            longestFirst.sort(java.util.Comparator.reverseOrder());
            assertEquals(longestFirst, durations, "sorted by duration, longest first");

            String storage = doms.get("storage").get();
            assertEquals(1, count(storage, "<tr class=\"rdd-row\" data-rdd-id=\"0\""), storage);
            assertTrue(storage.contains("4/4"), "all 4 partitions cached: " + storage);
            String partitions = doms.get("partitions").get();
            assertEquals(4, count(partitions, "<tr class=\"partition-row\""));

            String stages = doms.get("stages").get();
            assertEquals(3, count(stages, "<tr class=\"stage-row\""), stages);
            String executors = doms.get("executors").get();
            assertTrue(executors.contains("<td>driver</td>"), executors);
            String environment = doms.get("environment").get();
            assertTrue(environment.contains("<td>kindling.app.name</td><td>browser test</td>"), environment);

            // The hostile name is text wherever it is shown, and no page has a script element but the bundled one.
            for (String page : List.of(job, storage, partitions)) {
                assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown as text:\n" + page);
            }
            for (String page : List.of(live, runningStage, jobs, job, stage, byDuration, storage, partitions, stages,
                    executors, environment)) {
                assertEquals(1, count(page, "<script"), "only the bundled script element exists:\n" + page);
                assertFalse(page.contains("<script>alert"), page);
            }
        }
    }
}
