package dev.kindling.shell.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.storage.StorageLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Storage REST answers and page of an application on {@code local-cluster[2,1,512]}: an RDD cached
 * inside the executor processes is listed with its cached partitions, each held by the executor whose
 * task computed it (as the task events say); a replay of the event log shows the same; after unpersist
 * the partitions are gone, live and in the replay of the finished log.
 */
@Tag("slow")
class StorageClusterTest {

    @TempDir
    Path dir;

    @Test
    void whenAnRddIsCachedOnExecutors_thenStorageListsItsPartitionsWithTheirExecutorsUntilUnpersist()
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve("events"));
        ExecutorsClusterTest.TaskEnds seen = new ExecutorsClusterTest.TaskEnds();
        String appId;
        int rddId;
        try (KindlingContext kc = Kindling.builder().master("local-cluster[2,1,512]").appName("storage")
                .config("kindling.ui.enabled", "true").config("kindling.ui.port", "0")
                .config("kindling.eventLog.enabled", "true").config("kindling.eventLog.dir", logs.toString()).build()) {
            kc.addListener(seen);
            appId = kc.applicationId();
            String api = kc.uiWebUrl().orElseThrow() + "/api/v1/applications/" + appId;
            var squares = kc.parallelize(IntStream.range(0, 100).boxed().toList(), 4).map(x -> x * x)
                    .persist(StorageLevel.MEMORY_ONLY);
            int id = squares.id();
            rddId = id;
            assertEquals(IntStream.range(0, 100).map(x -> x * x).sum(), squares.reduce(Integer::sum));

            // The executor that computed each partition, from the task events (one stage, one attempt each).
            Map<String, String> expected = new TreeMap<>();
            synchronized (seen.ends) {
                seen.ends.forEach(e -> expected.put("rdd_" + id + "_" + e.task().partition(),
                        "[\"" + e.task().executorId() + "\"]"));
            }
            assertEquals(4, expected.size(), expected.toString());
            assertTrue(expected.values().stream().noneMatch(v -> v.contains("driver")), expected.toString());

            String url = api + "/storage/rdd/" + id;
            JsonNode live = await(() -> get(url), n -> n.path("numCachedPartitions").asInt() == 4, "4 cached partitions");
            assertEquals(expected, holders(live), live.toString());
            assertEquals("MEMORY_ONLY", live.path("storageLevel").asText(), live.toString());
            assertTrue(live.path("memoryUsed").isNull(), "executors do not report sizes: " + live);
            JsonNode list = get(api + "/storage/rdd");
            assertEquals(1, list.size(), list.toString());
            assertEquals(4, list.get(0).path("numCachedPartitions").asInt(), list.toString());
            String page = Http.get(kc.uiWebUrl().orElseThrow() + "/storage/rdd/?id=" + id).body();
            for (String block : expected.keySet()) {
                assertTrue(page.contains(block), block + " on the page: " + page);
            }

            // The log replayed while the application runs shows the same partitions and executors.
            Path inProgress = log(logs, appId);
            JsonNode replayed = await(() -> replay(inProgress, appId, id),
                    n -> n.path("numCachedPartitions").asInt() == 4, "4 cached partitions in the replayed log");
            assertEquals(expected, holders(replayed), replayed.toString());

            squares.unpersist();
            JsonNode after = await(() -> get(url), n -> n.path("numCachedPartitions").asInt() == 0,
                    "no cached partition after unpersist");
            assertEquals(0, after.path("partitions").size(), after.toString());
        }
        JsonNode history = replay(log(logs, appId), appId, rddId);
        assertEquals(0, history.path("numCachedPartitions").asInt(), history.toString());
        assertEquals(0, history.path("partitions").size(), history.toString());
    }

    private static JsonNode get(String url) {
        try {
            return RestApiTest.json(url);
        } catch (Exception e) {
            throw new AssertionError(url, e);
        }
    }

    private static JsonNode replay(Path log, String appId, int rddId) {
        try {
            UiApp app = HistoryApps.replay(log, StatusStore.Limits.DEFAULT);
            JsonNode n = RestApi.answer(List.of("applications", appId, "storage", "rdd", Integer.toString(rddId)),
                    List.of(app), id -> app);
            return n == null ? RestApi.JSON.createObjectNode() : n;
        } catch (java.io.IOException e) {
            throw new AssertionError(log.toString(), e);
        }
    }

    private static Path log(Path logs, String appId) throws java.io.IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(f -> f.getFileName().toString().startsWith(appId)).findFirst().orElseThrow();
        }
    }

    /** Block name -> its executors (as JSON text), from an answer of {@code /storage/rdd/{id}}. */
    private static Map<String, String> holders(JsonNode rdd) {
        Map<String, String> out = new TreeMap<>();
        rdd.path("partitions").forEach(p -> out.put(p.path("blockName").asText(), p.path("executors").toString()));
        return out;
    }

    /** Waits (a hang guard, not a timing assertion) until {@code answer} satisfies {@code done}. */
    private static JsonNode await(Supplier<JsonNode> answer, java.util.function.Predicate<JsonNode> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode n = answer.get();
            if (done.test(n)) {
                return n;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 60 s: " + n);
            }
            Thread.sleep(50);
        }
    }
}
