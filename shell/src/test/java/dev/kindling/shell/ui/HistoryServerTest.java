package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history server on logs written by real applications: it answers the REST API exactly as the
 * live UI of the same application did, lists the applications, and shows a log cut in the middle of a
 * line (a crash) up to its last complete line, saying the application did not finish.
 */
class HistoryServerTest {

    @TempDir
    Path dir;

    /** Runs RestApiTest's jobs with an event log in {@code logs}; returns the live REST answers by path. */
    private List<JsonNode> runApplication(Path logs, List<String> paths, String[] appId) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("history test")
                .config("kindling.eventLog.enabled", "true").config("kindling.eventLog.dir", logs.toString())
                .config("kindling.ui.port", "0").build();
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            kc.addListener(ui);
            RestApiTest.runJobs(kc, dir);
            appId[0] = kc.applicationId();
            for (String p : paths) {
                answers.add(RestApiTest.json("http://127.0.0.1:" + ui.port() + "/api/v1/applications/" + appId[0] + p));
            }
        }
        return answers;
    }

    @Test
    void whenAFinishedApplicationsLogIsServed_thenItsRestAnswersAreTheLiveOnesAndItIsListed() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> paths = List.of("/jobs", "/jobs/0", "/stages/0/0/taskList", "/stages/1/0/taskList", "/stages/2/0/taskList");
        String[] appId = new String[1];
        List<JsonNode> live = runApplication(logs, paths, appId);

        try (HistoryServer history = HistoryServer.start(logs, InetAddress.getLoopbackAddress(), 0, null, true)) {
            String base = "http://127.0.0.1:" + history.port();
            for (int i = 0; i < paths.size(); i++) {
                assertEquals(live.get(i), RestApiTest.json(base + "/api/v1/applications/" + appId[0] + paths.get(i)),
                        paths.get(i));
            }
            JsonNode apps = RestApiTest.json(base + "/api/v1/applications");
            assertEquals(1, apps.size());
            assertTrue(apps.get(0).path("attempts").get(0).path("completed").asBoolean());

            String list = Http.get(base + "/").body();
            assertTrue(list.contains("data-app-id=\"" + appId[0] + "\""), list);
            assertTrue(list.contains("history test") && list.contains(">finished<"), list);
            String jobs = Http.get(base + "/history/" + appId[0] + "/jobs/").body();
            assertTrue(jobs.contains("data-job-id=\"0\"") && jobs.contains("data-job-id=\"2\""), jobs);
            assertFalse(jobs.contains("did not finish"));
            assertFalse(jobs.contains("data-refresh"), "a finished application's pages do not update themselves");
            String job = Http.get(base + "/history/" + appId[0] + "/jobs/job/?id=0").body();
            assertEquals(2, job.split("class=\"stage-box\"", -1).length - 1, "the DAG of the shuffle job has two stages");
            assertTrue(job.contains("href=\"/history/" + appId[0] + "/stages/stage/?id=1&amp;attempt=0\""), job);
            String storage = Http.get(base + "/history/" + appId[0] + "/storage/").body();
            assertTrue(storage.contains(">lines</a>"), storage);
            assertEquals(404, Http.get(base + "/metrics").statusCode());
            assertEquals(405, Http.post(base + "/jobs/job/kill/", java.util.Map.of("id", "0")).statusCode());
        }
    }

    @Test
    void whenALogIsCutMidLine_thenWhatWasRecordedIsShownAndThePagesSayTheApplicationDidNotFinish() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String[] appId = new String[1];
        try (KindlingContext kc = Kindling.builder().master("local[2]").appName("crashed app")
                .config("kindling.eventLog.enabled", "true").config("kindling.eventLog.dir", logs.toString())
                .config("kindling.eventLog.compress", "false").build()) {
            RestApiTest.runJobs(kc, dir);
            appId[0] = kc.applicationId();
        }
        Path finished = logs.resolve(appId[0]);
        List<String> lines = Files.readAllLines(finished, StandardCharsets.UTF_8);
        // Keep everything up to the second job's end, then half of the next line: a crash while writing.
        int secondJobEnd = -1;
        int jobEnds = 0;
        for (int i = 0; i < lines.size() && secondJobEnd < 0; i++) {
            if (lines.get(i).startsWith("{\"event\":\"JobEnd\"") && ++jobEnds == 2) {
                secondJobEnd = i;
            }
        }
        String kept = String.join("\n", lines.subList(0, secondJobEnd + 1)) + "\n"
                + lines.get(secondJobEnd + 1).substring(0, lines.get(secondJobEnd + 1).length() / 2);
        Files.delete(finished);
        Files.writeString(logs.resolve(appId[0] + ".inprogress"), kept, StandardCharsets.UTF_8);

        try (HistoryServer history = HistoryServer.start(logs, InetAddress.getLoopbackAddress(), 0, null, true)) {
            String base = "http://127.0.0.1:" + history.port();
            String list = Http.get(base + "/").body();
            assertTrue(list.contains("did not finish (log cut mid-line)"), list);
            String jobs = Http.get(base + "/history/" + appId[0] + "/jobs/").body();
            assertTrue(jobs.contains("This application did not finish: its event log ends in the middle of a line"), jobs);
            assertTrue(jobs.contains("data-job-id=\"0\"") && jobs.contains("data-job-id=\"1\""), jobs);
            assertFalse(jobs.contains("data-job-id=\"2\""), "the third job was not recorded");
            JsonNode apps = RestApiTest.json(base + "/api/v1/applications");
            assertFalse(apps.get(0).path("attempts").get(0).path("completed").asBoolean());
            assertEquals(2, RestApiTest.json(base + "/api/v1/applications/" + appId[0] + "/jobs").size());
        }
    }

    @Test
    void whenTheDirectoryHoldsSomethingThatIsNotALog_thenItIsSkippedAndTheOthersAreServed() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("notes.txt"), "not an event log\n");
        String[] appId = new String[1];
        runApplication(logs, List.of(), appId);
        try (HistoryServer history = HistoryServer.start(logs, InetAddress.getLoopbackAddress(), 0, null, true)) {
            JsonNode apps = RestApiTest.json("http://127.0.0.1:" + history.port() + "/api/v1/applications");
            assertEquals(Arrays.asList(appId[0]), List.of(apps.get(0).path("id").asText()));
            assertEquals(1, apps.size());
        }
    }
}
