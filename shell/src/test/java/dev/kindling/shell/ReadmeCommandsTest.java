package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example command in README.md runs on data that ships with the project. Each
 * {@code bin/kindling run} command with arguments and without placeholders ({@code <input>}, {@code ...}) is run
 * through the command line's entry point ({@link KindlingCli#execute}) as written, from the
 * project's root: relative paths are resolved there and must exist, and an output under
 * {@code /tmp} goes to a fresh temporary directory instead. A command naming only an example
 * ({@code bin/kindling run kmeans}) is a reference, not a command to run.
 */
class ReadmeCommandsTest {

    private static final Pattern WEIGHTS = Pattern.compile("weights=\\[([^]]+)] loss=");

    @Test
    void everyExampleCommandRunsOnShippedData(@TempDir Path tmp) throws Exception {
        List<Readme.Command> runnable = new ArrayList<>();
        for (Readme.Command c : Readme.runCommands()) {
            String[] words = c.text().split("\\s+");
            if (!c.text().contains("<") && !c.text().contains("...") && words.length > 3) {
                runnable.add(c);
            }
        }
        List<String> examples = runnable.stream().map(c -> exampleName(c.text())).distinct().sorted().toList();
        assertEquals(List.copyOf(new java.util.TreeSet<>(Examples.all().keySet())), examples,
                "README.md should show a runnable command for every example");

        Map<String, String> outputs = new HashMap<>();
        for (Readme.Command c : runnable) {
            outputs.put(c.text(), run(c, tmp));
        }

        // The shipped points follow y = 1 + 2 x1 - 3 x2 plus small noise: linreg must find that model.
        outputs.forEach((command, out) -> {
            if (command.contains("linreg") && command.contains("examples/data/points.txt")) {
                Matcher m = WEIGHTS.matcher(out);
                assertTrue(m.find(), out);
                double[] w = Arrays.stream(m.group(1).split(",\\s*")).mapToDouble(Double::parseDouble).toArray();
                assertEquals(3, w.length, out);
                assertEquals(1.0, w[0], 0.05, out);
                assertEquals(2.0, w[1], 0.05, out);
                assertEquals(-3.0, w[2], 0.05, out);
            }
        });
    }

    private static String exampleName(String command) {
        List<String> words = List.of(command.split("\\s+"));
        int i = 2; // after "bin/kindling run"
        while (i < words.size() && words.get(i).startsWith("--")) {
            i += 2; // --master M, --conf k=v: the run command's options take one value each
        }
        return words.get(i);
    }

    /** Runs one README command in this JVM and returns what it printed on standard output. */
    private static String run(Readme.Command command, Path tmp) throws Exception {
        String[] words = command.text().split("\\s+");
        List<String> args = new ArrayList<>();
        Path root = Readme.root();
        for (int i = 1; i < words.length; i++) { // after "bin/kindling"
            String word = words[i];
            if (word.startsWith("/tmp/")) {
                word = Files.createTempDirectory(tmp, "out").resolve(Path.of(word).getFileName()).toString();
            } else if (!word.startsWith("-") && word.contains("/")) {
                Path input = root.resolve(word);
                assertTrue(Files.exists(input), "README.md line " + command.line() + ": '" + command.text()
                        + "' reads " + word + ", which does not exist in " + root);
                word = input.toString();
            }
            args.add(word);
        }
        Properties saved = (Properties) System.getProperties().clone();
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int status;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            status = KindlingCli.execute(new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true),
                    args.toArray(new String[0]));
        } finally {
            System.setOut(originalOut);
            System.setProperties(saved); // --master and --conf become system properties
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> "README.md line " + command.line() + ": '" + command.text() + "' failed:\n"
                + printed + err);
        assertTrue(!printed.isBlank(), "README.md line " + command.line() + ": '" + command.text() + "' printed nothing");
        if (exampleName(command.text()).equals("wordcount")) {
            assertTrue(Files.exists(Path.of(args.get(args.size() - 1)).resolve("_SUCCESS")), printed);
        }
        return printed;
    }
}
