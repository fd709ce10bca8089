package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, data loss: two jobs saving to the same path at once; in 1-3 of 5 trials one reported
 * success and the directory then did not exist, because the loser's failure path deleted the whole
 * output directory, the winner's committed files included. Each trial here races two contexts on
 * one path. Trials: {@code -Dkindling.test.saveTrials=N} (default 20).
 */
class ConcurrentSaveTest {

    private static final int TRIALS = Integer.getInteger("kindling.test.saveTrials", 20);
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static List<String> data(String tag) {
        return IntStream.range(0, 4000).mapToObj(i -> tag + " " + i).collect(Collectors.toList());
    }

    /** What one racer saw: its data and either success or the failure's message. */
    private record Outcome(List<String> data, String error) {
    }

    private List<Outcome> race(KindlingContext a, KindlingContext b, Path out, ExecutorService pool) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (KindlingContext kc : List.of(a, b)) {
            List<String> data = data(kc == a ? "a" : "b");
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    kc.parallelize(data, PARTITIONS).saveAsTextFile(out.toString());
                    return new Outcome(data, null);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    return new Outcome(data, e.getMessage());
                }
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get());
        }
        return outcomes;
    }

    @Test
    void whenTwoContextsSaveToOnePathAtOnce_thenExactlyOneSucceedsAndItsOutputIsComplete() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int lost = 0;
        int busy = 0;
        try (KindlingContext a = Kindling.builder().master("local[2]").build();
             KindlingContext b = Kindling.builder().master("local[2]").build()) {
            for (int trial = 0; trial < TRIALS; trial++) {
                Path out = dir.resolve("out-" + trial);
                List<Outcome> outcomes = race(a, b, out, pool);
                List<Outcome> winners = outcomes.stream().filter(o -> o.error() == null).toList();
                assertEquals(1, winners.size(), "trial " + trial + ": " + outcomes);
                String error = outcomes.stream().filter(o -> o.error() != null).findFirst().orElseThrow().error();
                assertTrue(error.contains(out.toString()) && (error.contains("already exists")
                        || error.contains("is already being written by another job")), error);
                busy += error.contains("already being written") ? 1 : 0;
                if (!Files.exists(out.resolve("_SUCCESS"))) {
                    lost++;
                    continue;
                }
                assertEquals(OutputChecks.completeNames(PARTITIONS), OutputChecks.names(out), "trial " + trial);
                assertEquals(winners.get(0).data(), OutputChecks.partLines(out), "trial " + trial);
                assertEquals(winners.get(0).data(), a.textFile(out.toString()).collect());
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("concurrent saves: " + lost + " lost outputs in " + TRIALS + " trials (" + busy
                + " losers found the other job writing, the rest found its finished output)");
        assertEquals(0, lost, "trials whose winner's output was lost");
    }

    @Test
    void whenTwoOverwritingSavesRace_evenToTakeOverAStaleClaim_thenTheOutputIsOneWritersCompleteData() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (KindlingContext a = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build();
             KindlingContext b = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build()) {
            for (int trial = 0; trial < Math.max(1, TRIALS / 2); trial++) {
                Path out = dir.resolve("over-" + trial);
                a.parallelize(List.of("old"), 1).saveAsTextFile(out.toString());
                if (trial % 2 == 1) {
                    plantStaleClaim(out);
                }
                List<Outcome> outcomes = race(a, b, out, pool);
                List<Outcome> winners = outcomes.stream().filter(o -> o.error() == null).toList();
                assertFalse(winners.isEmpty(), "trial " + trial + ": " + outcomes);
                for (Outcome o : outcomes) {
                    assertTrue(o.error() == null || o.error().contains("is already being written by another job"), o.error());
                }
                assertEquals(OutputChecks.completeNames(PARTITIONS), OutputChecks.names(out), "trial " + trial);
                List<String> lines = OutputChecks.partLines(out);
                assertTrue(winners.stream().anyMatch(w -> w.data().equals(lines)), "trial " + trial + ": output is no winner's data");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The claim a killed writer leaves: a record naming this JVM's pid with another start time (so
     * the pid counts as reused: that writer is gone) and a half-written attempt file.
     */
    private static void plantStaleClaim(Path out) throws java.io.IOException {
        Path claim = Files.createDirectories(out.resolve("_temporary/0/_temporary/attempt_x_m_000000_0"));
        Files.writeString(claim.resolve("part-00000"), "half-written\n");
        Files.writeString(out.resolve("_temporary/kindling-writer"), ProcessHandle.current().pid() + "\n1\nstale_0001\n");
    }

    @Test
    void whenAnotherJvmIsWriting_thenASaveFailsNamingItAndTakesOverOnceItIsKilled() throws Exception {
        Path out = dir.resolve("shared");
        Path release = dir.resolve("release");
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build();
             ChildJvm child = ChildJvm.start(dir, dir.resolve("child.log"), "block", out.toString(), release.toString())) {
            String ready = child.readLine();
            assertEquals("READY " + child.pid(), ready, ready);
            while (!Files.exists(out.resolve("_temporary/0/_temporary"))) {
                assertTrue(child.isAlive(), () -> "the writing child JVM died: " + log(dir.resolve("child.log")));
                Thread.sleep(5);
            }
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> kc.parallelize(List.of("mine"), 1).saveAsTextFile(out.toString()));
            assertTrue(e.getMessage().contains("is already being written by another job")
                    && e.getMessage().contains("pid " + child.pid()), e.getMessage());
            assertTrue(Files.exists(out.resolve("_temporary")), "the refused save left the other job's files alone");

            child.kill();
            kc.parallelize(List.of("mine"), 1).saveAsTextFile(out.toString());
            assertEquals(OutputChecks.completeNames(1), OutputChecks.names(out));
            assertEquals(List.of("mine"), OutputChecks.partLines(out));
        }
    }

    @Test
    void whenAWriterWasKilledWhileClaiming_thenTheNextSaveDeletesItsHiddenDirectoriesButNotThoseOfALiveOne()
            throws Exception {
        Path out = dir.resolve("claimed");
        long pid = ProcessHandle.current().pid();
        long start = ProcessIdentity.current().startMillis();
        // Start time 1 with this JVM's pid: a reused pid, so their writer is gone.
        Path deadClaim = Files.createDirectories(out.resolve(".kindling-claim-" + pid + "-1-dead_0001"));
        Files.writeString(deadClaim.resolve("kindling-writer"), pid + "\n1\ndead_0001\n");
        Path deadAside = Files.createDirectories(out.resolve(".kindling-stale-" + pid + "-1-dead_0002/0"));
        Path live = Files.createDirectories(out.resolve(".kindling-claim-" + pid + "-" + start + "-live_0001"));
        try (KindlingContext kc = Kindling.builder().master("local[1]").config(KindlingConf.OUTPUT_OVERWRITE, "true")
                .build()) {
            kc.parallelize(List.of("mine"), 1).saveAsTextFile(out.toString());
        }
        assertFalse(Files.exists(deadClaim), "a dead writer's claim in the making is deleted");
        assertFalse(Files.exists(deadAside.getParent()), "a dead writer's stale claim moved aside is deleted");
        assertTrue(Files.exists(live), "a live writer's claim in the making is left alone");
        Files.delete(live);
        assertEquals(OutputChecks.completeNames(1), OutputChecks.names(out));
        assertEquals(List.of("mine"), OutputChecks.partLines(out));
    }
}
