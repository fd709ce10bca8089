package dev.kindling.shell.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Maps requests to pages, REST answers, metrics and the bundled static files, after the security
 * rules of {@link UiSecurity}. Paths are Spark's: {@code /jobs/}, {@code /jobs/job/?id=},
 * {@code /stages/}, {@code /stages/stage/?id=&attempt=}, {@code /storage/}, {@code /storage/rdd/?id=},
 * {@code /executors/}, {@code /environment/}, {@code /api/v1/...}, {@code /metrics}. A history server
 * serves each application's pages under {@code /history/<appId>/} and lists them at {@code /}.
 * Kills are {@code POST /jobs/job/kill/} and {@code POST /stages/stage/kill/} with the form field {@code id}.
 */
final class UiRouter {

    private final UiApps apps;
    private final UiSecurity security;

    UiRouter(UiApps apps, UiSecurity security) {
        this.apps = apps;
        this.security = security;
    }

    UiResponse handle(UiRequest r) {
        UiResponse refused = security.check(r);
        if (refused != null) {
            return refused;
        }
        if (r.params().containsKey("token") && r.method().equals("GET")) {
            // The token goes into a cookie and out of the address bar (and of the browser's history).
            String query = Arrays.stream(r.rawQuery().split("&")).filter(p -> !p.startsWith("token="))
                    .reduce((a, b) -> a + "&" + b).orElse("");
            return UiResponse.redirect(r.path() + (query.isEmpty() ? "" : "?" + query))
                    .with("Set-Cookie", UiSecurity.COOKIE + "=" + security.token + "; Path=/; HttpOnly; SameSite=Strict");
        }
        if (r.method().equals("POST")) {
            return post(r);
        }
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return UiResponse.error(405, r.method() + " is not allowed: this UI only reads, except the kill forms (POST)");
        }
        String path = r.path();
        if (path.startsWith("/static/")) {
            return resource(path.substring("/static/".length()));
        }
        if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
            return api(path);
        }
        if (path.equals("/metrics")) {
            List<UiApp> list = apps.list();
            if (apps.history() || list.isEmpty()) {
                return UiResponse.error(404, "/metrics is served by a running application's UI, not by the history server");
            }
            return UiResponse.of(200, PrometheusMetrics.CONTENT_TYPE, PrometheusMetrics.render(list.get(0)));
        }
        if (apps.history()) {
            if (path.equals("/")) {
                return UiResponse.html(HistoryPage.render(apps.list()));
            }
            if (path.startsWith("/history/")) {
                String rest = path.substring("/history/".length());
                int slash = rest.indexOf('/');
                String id = slash < 0 ? rest : rest.substring(0, slash);
                UiApp app = apps.get(id);
                if (app == null) {
                    return UiResponse.error(404, "No application " + id + " in this history directory; "
                            + "the list at / shows the ones there are");
                }
                return page(app, "/history/" + id, slash < 0 ? "/" : rest.substring(slash), r);
            }
            return notFound(path);
        }
        return page(apps.list().get(0), "", path, r);
    }

    private UiResponse page(UiApp app, String base, String path, UiRequest r) {
        boolean kill = security.killEnabled && app.running();
        if (path.equals("/") || path.isEmpty()) {
            return UiResponse.redirect(base + "/jobs/");
        }
        String html = switch (path) {
            case "/jobs/", "/jobs" -> JobsPage.render(app, base, kill);
            case "/jobs/job/", "/jobs/job" -> JobPage.render(app, base, r.intParam("id", -1), kill);
            case "/stages/", "/stages" -> StageTable.page(app, base, kill);
            case "/stages/stage/", "/stages/stage" -> StagePage.render(app, base, r.intParam("id", -1),
                    r.intParam("attempt", 0), r.params().get("sort"), "true".equals(r.params().get("desc")));
            case "/storage/", "/storage" -> StoragePage.render(app, base);
            case "/storage/rdd/", "/storage/rdd" -> StoragePage.renderRdd(app, base, r.intParam("id", -1));
            case "/executors/", "/executors" -> ExecutorsPage.render(app, base);
            case "/environment/", "/environment" -> EnvironmentPage.render(app, base);
            default -> null;
        };
        if (html == null) {
            return notFound(base + path);
        }
        return UiResponse.html(html);
    }

    private static UiResponse notFound(String path) {
        return UiResponse.error(404, "No page " + path + " here (or the job, stage or RDD it names is not kept); "
                + "start from /jobs/");
    }

    private UiResponse api(String path) {
        List<String> parts = Arrays.stream(path.substring("/api/v1".length()).split("/")).filter(s -> !s.isEmpty())
                .toList();
        JsonNode answer = RestApi.answer(parts, apps.list(), apps::get);
        if (answer == null) {
            return UiResponse.of(404, UiResponse.JSON, "{\"error\":\"no such resource: " + path.replace("\"", "")
                    + "\"}");
        }
        try {
            return UiResponse.of(200, UiResponse.JSON, RestApi.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the answer to " + path, e);
        }
    }

    private UiResponse post(UiRequest r) {
        boolean job = r.path().equals("/jobs/job/kill/") || r.path().equals("/jobs/job/kill");
        boolean stage = r.path().equals("/stages/stage/kill/") || r.path().equals("/stages/stage/kill");
        if (apps.history() || (!job && !stage)) {
            return UiResponse.error(405, "POST " + r.path() + " is not allowed: only the kill forms of a running "
                    + "application's UI change anything");
        }
        UiResponse refused = security.checkKill(r);
        if (refused != null) {
            return refused;
        }
        UiApp app = apps.list().get(0);
        int id = r.intParam("id", -1);
        if (!app.running()) {
            return UiResponse.error(409, "The application has ended; there is nothing to kill");
        }
        List<Integer> jobIds = app.store().read(() -> {
            if (job) {
                UiJob j = app.store().jobs.get(id);
                return j == null || j.finished() ? List.<Integer>of() : List.of(id);
            }
            List<Integer> ids = new java.util.ArrayList<>();
            app.store().stages.values().stream().filter(s -> s.stageId == id && !s.finished())
                    .forEach(s -> ids.addAll(s.jobIds));
            return ids;
        });
        if (jobIds.isEmpty()) {
            return UiResponse.error(404, (job ? "Job " : "Stage ") + id + " is not running; nothing was killed");
        }
        jobIds.forEach(app.context()::cancelJob);
        return UiResponse.redirect(job ? "/jobs/" : "/stages/");
    }

    private static UiResponse resource(String name) {
        if (!name.equals("kindling-ui.css") && !name.equals("kindling-ui.js")) {
            return notFound("/static/" + name);
        }
        try (InputStream in = UiRouter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Resource dev/kindling/shell/ui/" + name + " is missing from the jar; "
                        + "rebuild kindling-shell");
            }
            return new UiResponse(200, name.endsWith(".css") ? "text/css; charset=utf-8"
                    : "text/javascript; charset=utf-8", in.readAllBytes(), java.util.Map.of());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the UI's " + name, e);
        }
    }
}
