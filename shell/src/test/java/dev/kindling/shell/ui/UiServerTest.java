package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.FutureAction;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.scheduler.JobCancelledException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The UI's server over real sockets: where it binds and what it prints, that it leaves no port or
 * thread behind, and the access rules (loopback by default, a token off the loopback address, kills
 * only with the switch and the token).
 */
class UiServerTest {

    private static final long GUARD_S = 60; // hang guard only, never a timing assertion
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static volatile CountDownLatch started;

    private static KindlingContext context(String... conf) {
        Kindling.Builder b = Kindling.builder().master("local[2]").config("kindling.ui.port", "0");
        for (int i = 0; i < conf.length; i += 2) {
            b.config(conf[i], conf[i + 1]);
        }
        return b.build();
    }

    private static boolean uiThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("kindling-ui") && t.isAlive());
    }

    @Test
    void whenAContextEnablesTheUi_thenItServesOnLoopbackPrintsItsUrlOnceAndLeavesNoPortOrThreadAtClose() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String url;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try (KindlingContext kc = context("kindling.ui.enabled", "true")) {
                assertEquals(6L, kc.parallelize(List.of(1, 2, 3, 4, 5, 6), 3).count());
                String printed = err.toString(StandardCharsets.UTF_8);
                Matcher m = Pattern.compile("Kindling UI at (http://127\\.0\\.0\\.1:\\d+)\\n").matcher(printed);
                assertTrue(m.find(), printed);
                url = m.group(1);
                assertFalse(m.find(), "printed once: " + printed);
                HttpResponse<String> jobs = Http.get(url + "/jobs/");
                assertEquals(200, jobs.statusCode());
                assertTrue(jobs.body().contains("data-job-id=\"0\""), jobs.body());
                assertTrue(uiThreadAlive());
            }
        } finally {
            System.setErr(originalErr);
        }
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "the port is closed with the context");
        for (int i = 0; i < GUARD_S * 10 && uiThreadAlive(); i++) {
            Thread.sleep(100); // Netty's thread ends shortly after the group's shutdown returns
        }
        assertFalse(uiThreadAlive(), "no kindling-ui thread is left");
    }

    @Test
    void whenTheUiIsNotEnabled_thenALibraryContextServesNothing() {
        try (KindlingContext kc = Kindling.builder().master("local[1]").build()) {
            assertEquals(1L, kc.parallelize(List.of(1), 1).count());
            assertFalse(uiThreadAlive());
        }
    }

    @Test
    void whenThePortIsTaken_thenTheNextFreeOneIsUsed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KindlingContext kc = context("kindling.ui.port", Integer.toString(taken.getLocalPort()));
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertTrue(ui.port() > taken.getLocalPort() && ui.port() < taken.getLocalPort() + UiServer.PORT_TRIES,
                    "port " + ui.port() + " after " + taken.getLocalPort());
            assertEquals(200, Http.get("http://127.0.0.1:" + ui.port() + "/jobs/").statusCode());
        }
    }

    @Test
    void whenBoundOffLoopback_thenEveryRequestNeedsTheTokenWhichTheUrlCarriesIntoACookie() throws Exception {
        try (KindlingContext kc = context("kindling.ui.host", "0.0.0.0", "kindling.ui.token", "s3cret-token");
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertTrue(ui.url().endsWith("/?token=s3cret-token"), ui.url());
            String base = "http://127.0.0.1:" + ui.port();
            HttpResponse<String> denied = Http.get(base + "/jobs/");
            assertEquals(401, denied.statusCode());
            assertTrue(denied.body().contains("needs its access token"), denied.body());
            assertEquals(401, Http.get(base + "/api/v1/applications").statusCode());
            assertEquals(401, Http.get(base + "/jobs/?token=wrong").statusCode());

            HttpResponse<String> withToken = Http.get(base + "/jobs/?token=s3cret-token");
            assertEquals(303, withToken.statusCode());
            assertEquals("/jobs/", withToken.headers().firstValue("Location").orElseThrow(), "the token leaves the URL");
            String cookie = withToken.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.startsWith("kindling_ui_token=s3cret-token;") && cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Strict"), cookie);
            assertEquals(200, Http.get(base + "/jobs/", "Cookie", "kindling_ui_token=s3cret-token").statusCode());
            assertEquals(200, Http.get(base + "/api/v1/applications", "Authorization", "Bearer s3cret-token").statusCode());
        }
        try (KindlingContext kc = context("kindling.ui.host", "0.0.0.0", "kindling.ui.tokenRequired", "false");
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertFalse(ui.url().contains("token"), ui.url());
            assertEquals(200, Http.get("http://127.0.0.1:" + ui.port() + "/jobs/").statusCode());
        }
    }

    @Test
    void whenNoTokenIsConfigured_thenEachUiGetsANewRandomOne() throws Exception {
        try (KindlingContext kc = context("kindling.ui.host", "0.0.0.0");
             StatusUi a = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
             StatusUi b = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            String ta = a.url().substring(a.url().indexOf("token=") + 6);
            String tb = b.url().substring(b.url().indexOf("token=") + 6);
            assertTrue(ta.matches("[0-9a-f]{24}"), ta);
            assertFalse(ta.equals(tb));
        }
    }

    @Test
    void whenAKillIsPosted_thenItNeedsTheSwitchAndTheTokenAndThenCancelsTheJob() throws Exception {
        try (KindlingContext kc = context("kindling.ui.killEnabled", "true", "kindling.ui.token", "kill-token");
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            kc.addListener(ui);
            assertTrue(ui.url().endsWith("/?token=kill-token"), "a kill switch needs the token, so the URL has it");
            String base = "http://127.0.0.1:" + ui.port();
            started = new CountDownLatch(1);
            FutureAction<Long> blocked = kc.parallelize(List.of(1, 2), 2).map(x -> {
                started.countDown();
                RELEASE.await();
                return x;
            }).countAsync();
            assertTrue(started.await(GUARD_S, TimeUnit.SECONDS));
            HttpResponse<String> page = Http.get(base + "/jobs/");
            assertTrue(page.body().contains("action=\"/jobs/job/kill/\""), "a running job has a kill form");
            assertFalse(page.body().contains("kill-token"), "the page never holds the token");

            HttpResponse<String> noToken = Http.post(base + "/jobs/job/kill/", Map.of("id", "0"));
            assertEquals(403, noToken.statusCode());
            assertTrue(noToken.body().contains("needs the UI's access token"), noToken.body());
            assertEquals(405, Http.post(base + "/jobs/", Map.of("id", "0"), "Cookie", "kindling_ui_token=kill-token")
                    .statusCode(), "only the kill forms take a POST");
            assertFalse(blocked.isDone());

            HttpResponse<String> killed = Http.post(base + "/jobs/job/kill/", Map.of("id", "0"),
                    "Cookie", "kindling_ui_token=kill-token");
            assertEquals(303, killed.statusCode(), killed.body());
            ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(GUARD_S, TimeUnit.SECONDS));
            assertInstanceOf(JobCancelledException.class, e.getCause());
        }
    }

    @Test
    void whenKillIsNotEnabled_thenEvenTheTokenCannotKill() throws Exception {
        try (KindlingContext kc = context("kindling.ui.token", "t0k");
             StatusUi ui = new StatusUi(kc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            kc.addListener(ui);
            assertFalse(ui.url().contains("token"), "on loopback without kills, the URL needs no token");
            started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            LocalLatch.set(release);
            FutureAction<Long> blocked = kc.parallelize(List.of(1), 1).map(x -> {
                started.countDown();
                LocalLatch.get().await();
                return x;
            }).countAsync();
            assertTrue(started.await(GUARD_S, TimeUnit.SECONDS));
            String base = "http://127.0.0.1:" + ui.port();
            assertFalse(Http.get(base + "/jobs/").body().contains("class=\"kill\""), "no kill form without the switch");
            HttpResponse<String> refused = Http.post(base + "/jobs/job/kill/", Map.of("id", "0"),
                    "Cookie", "kindling_ui_token=t0k");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("kindling.ui.killEnabled=true"), refused.body());
            release.countDown();
            assertEquals(1L, blocked.get(GUARD_S, TimeUnit.SECONDS), "the job was not killed");
        }
    }

    /** A latch the task closures reach through a static (closures are copied per task). */
    static final class LocalLatch {
        private static volatile CountDownLatch latch;

        static void set(CountDownLatch l) {
            latch = l;
        }

        static CountDownLatch get() {
            assertNotNull(latch);
            return latch;
        }
    }
}
