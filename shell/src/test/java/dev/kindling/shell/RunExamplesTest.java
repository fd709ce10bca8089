package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kindling run <example> --option value ...} hands every argument after the name to the example. */
class RunExamplesTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, KindlingCli.execute(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logregTakesItsOwnOptionsAndPrintsTheSummaryLine() {
        String out = run("run", "logreg", "--generate", "2000", "--dims", "3", "--seed", "1", "--iterations", "5",
                "--print-every", "5");
        assertTrue(out.contains("iteration 5 loss="), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("weights=\\[[^]]+] loss=[0-9.]+ accuracy=[0-9.]+")), out);
    }

    @Test
    void pagerankPrintsTheTopRanksOfAnEdgeFile(@TempDir Path dir) throws Exception {
        Path edges = dir.resolve("edges.txt");
        Files.writeString(edges, "# a star\n2 1\n3 1\n4 1\n1 2\n");
        String out = run("run", "pagerank", "--input", edges.toString(), "--iterations", "30", "--top", "2");
        assertTrue(out.contains("nodes=4 iterations=30"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("1\t")), out);
    }

    @Test
    void kmeansAndLinregRunFromTheCommandLine() {
        assertTrue(run("run", "kmeans", "--generate", "500", "--k", "2", "--iterations", "3").contains("cost="));
        assertTrue(run("run", "linreg", "--generate", "500", "--dims", "2", "--iterations", "3").contains("weights=["));
    }
}
