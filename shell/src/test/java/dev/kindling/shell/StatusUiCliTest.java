package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the status UI, in child JVMs: contexts of {@code kindling run} serve the UI by
 * default (and not with {@code kindling.ui.enabled=false}); {@code kindling history DIR} serves the
 * logs of a real run until it is stopped.
 */
class StatusUiCliTest {

    private static final Pattern UI_LINE = Pattern.compile("Kindling UI at http://127\\.0\\.0\\.1:\\d+");

    @Test
    void whenAnExampleRunsFromTheCommandLine_thenItsContextPrintsTheUiAddressUnlessTheUiIsOff(@TempDir Path dir)
            throws Exception {
        Path edges = dir.resolve("edges.txt");
        Files.writeString(edges, "2 1\n3 1\n1 2\n");
        Processes.Result on = Processes.kindling(null, "run", "--conf", "kindling.ui.port=0", "pagerank",
                "--input", edges.toString(), "--iterations", "3");
        assertEquals(0, on.exitCode(), on.all());
        assertEquals(1, UI_LINE.matcher(on.err()).results().count(), on.err());
        assertFalse(UI_LINE.matcher(on.out()).find(), "the address goes to standard error, not into the output");

        Processes.Result off = Processes.kindling(null, "run", "--conf", "kindling.ui.enabled=false", "pagerank",
                "--input", edges.toString(), "--iterations", "3");
        assertEquals(0, off.exitCode(), off.all());
        assertFalse(off.all().contains("Kindling UI at"), off.all());
    }

    @Test
    void whenHistoryServesTheLogsOfARealRun_thenItsApplicationListAndPagesAnswerUntilItIsStopped(@TempDir Path dir)
            throws Exception {
        Path edges = dir.resolve("edges.txt");
        Files.writeString(edges, "2 1\n3 1\n1 2\n");
        Path logs = dir.resolve("logs");
        Processes.Result run = Processes.kindling(null, "run", "--conf", "kindling.ui.enabled=false",
                "--conf", "kindling.eventLog.enabled=true", "--conf", "kindling.eventLog.dir=" + logs,
                "pagerank", "--input", edges.toString(), "--iterations", "3");
        assertEquals(0, run.exitCode(), run.all());
        String appId;
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            appId = all.get(0).getFileName().toString().replace(".gz", "");
        }

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", Processes.classPath(), KindlingCli.class.getName(), "history", logs.toString(),
                "--port", "0"));
        Process history = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(history.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("Kindling history of "), String.valueOf(line));
            Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+)/$").matcher(line);
            assertTrue(m.find(), line);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String list = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(list.contains("data-app-id=\"" + appId + "\""), list);
            HttpResponse<String> jobs = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/history/" + appId
                    + "/jobs/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jobs.statusCode());
            assertTrue(jobs.body().contains("class=\"job-row\""), jobs.body());
            history.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(history.waitFor(60, TimeUnit.SECONDS), "history stops when told to");
        } finally {
            history.destroyForcibly();
            history.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenHistoryIsGivenSomethingThatIsNotADirectory_thenItSaysSoAndExitsWith2(@TempDir Path dir) {
        java.io.StringWriter err = new java.io.StringWriter();
        int status = KindlingCli.execute(new java.io.PrintWriter(new java.io.StringWriter(), true),
                new java.io.PrintWriter(err, true), "history", dir.resolve("missing").toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("is not a directory"), err.toString());
    }
}
