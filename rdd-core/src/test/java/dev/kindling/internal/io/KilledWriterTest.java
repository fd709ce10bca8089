package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, commit ordering: a writer killed with {@code kill -9} at any moment must never leave a
 * {@code _SUCCESS} without all its part files. A child JVM saves the same lines over and over to
 * new directories; the test kills it after a random delay, then checks every directory it made:
 * with {@code _SUCCESS}, it must hold every part with the right lines; without, a reader warns (or
 * fails with {@value KindlingConf#INPUT_REQUIRE_SUCCESS_MARKER}) and a new save takes the directory
 * over. Trials: {@code -Dkindling.test.killTrials=N} (default 10).
 */
class KilledWriterTest {

    private static final int TRIALS = Integer.getInteger("kindling.test.killTrials", 10);
    /** Many small partitions, so that the job commit (one rename per part) is a real share of the run. */
    private static final int PARTITIONS = 64;
    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    @Test
    void aWriterKilledAtARandomMomentNeverLeavesSuccessWithoutAllParts() throws Exception {
        Random random = new Random(Long.getLong("kindling.test.seed", System.nanoTime()));
        List<String> expected = SaveWorkload.lines(LINES);
        int complete = 0;
        int incomplete = 0;
        int killedInCommit = 0;
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true")
                .config(KindlingConf.OUTPUT_OVERWRITE_FORCE, "true").build();
             KindlingContext strict = Kindling.builder().master("local[2]")
                     .config(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER, "true").build()) {
            for (int trial = 0; trial < TRIALS; trial++) {
                Path base = Files.createDirectories(dir.resolve("trial-" + trial));
                int saving;
                try (ChildJvm child = ChildJvm.start(base, base.resolve("child.log"), "loop", base.toString(),
                        Integer.toString(PARTITIONS), Integer.toString(LINES))) {
                    assertEquals("READY", child.readLine(), Files.readString(base.resolve("child.log")));
                    // Let it finish a random number of saves (0-2), then kill it during the next one: in odd
                    // trials a random time into it, in even ones as soon as its commit has moved a random part.
                    int skip = random.nextInt(3);
                    String line = child.readLine();
                    for (int i = 0; i < skip; i++) {
                        line = child.readLine();
                    }
                    saving = Integer.parseInt(line.substring("SAVING ".length()));
                    if (trial % 2 == 1) {
                        Thread.sleep(random.nextInt(400));
                    } else {
                        Path out = base.resolve("out-" + saving);
                        Path part = out.resolve(String.format("part-%05d", random.nextInt(PARTITIONS)));
                        while (child.isAlive() && !Files.exists(part) && !Files.exists(out.resolve("_SUCCESS"))) {
                            Thread.onSpinWait();
                        }
                    }
                    child.kill();
                }
                for (int i = 0; ; i++) {
                    Path out = base.resolve("out-" + i);
                    if (!Files.exists(out)) {
                        assertTrue(i >= saving, "trial " + trial + ": out-" + i + " missing before the one being saved");
                        break;
                    }
                    List<String> names = OutputChecks.names(out);
                    if (names.contains("_SUCCESS")) {
                        complete++;
                        assertEquals(OutputChecks.completeNames(PARTITIONS), names.stream()
                                .filter(n -> !n.equals("_temporary")).toList(), "trial " + trial + " out-" + i);
                        assertEquals(expected, OutputChecks.partLines(out), "trial " + trial + " out-" + i);
                        continue;
                    }
                    incomplete++;
                    if (names.stream().anyMatch(n -> n.startsWith("part-"))) {
                        killedInCommit++;
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> strict.textFile(out.toString()));
                        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("no _SUCCESS")
                                && e.getMessage().contains(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER), e.getMessage());
                    }
                    // The dead writer's claim is taken over by the next save to the same path.
                    kc.parallelize(List.of("again"), 1).saveAsTextFile(out.toString());
                    assertEquals(OutputChecks.completeNames(1), OutputChecks.names(out));
                }
            }
        }
        System.out.println("kill -9 during run: never a _SUCCESS without all parts in " + TRIALS + " trials ("
                + complete + " complete outputs checked, " + incomplete + " interrupted, " + killedInCommit
                + " of them killed inside the job commit)");
    }
}
