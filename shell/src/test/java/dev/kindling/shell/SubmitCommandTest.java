package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kindling submit} and {@code kindling shell --jars} with real jars, compiled in the test
 * (javax.tools) and packed with java.util.jar: an application jar whose main class counts words with
 * a tokenizer from a second jar given with {@code --jars} (loaded in executor threads too), checked
 * against a java.util.stream count; the master and confs reach {@code Kindling.builder()} in the
 * application; the exit status is the application's (through the real bin/kindling as well).
 */
class SubmitCommandTest {

    @TempDir
    static Path dir;

    private static Path appJar;
    private static Path libJar;

    private static final String TOKENIZER = """
            package lib;
            import java.util.Arrays;
            import java.util.List;
            public final class Tokenizer {
                public static List<String> words(String line) {
                    return Arrays.stream(line.trim().split("\\\\s+")).filter(w -> !w.isEmpty()).toList();
                }
            }
            """;

    private static final String APP = """
            package app;
            import dev.kindling.Kindling;
            import dev.kindling.KindlingContext;
            import dev.kindling.Pair;
            import java.nio.file.Files;
            import java.nio.file.Path;
            public final class WordCount {
                public static void main(String[] args) throws Exception {
                    if (args[0].equals("exit")) {
                        System.exit(Integer.parseInt(args[1]));
                    }
                    if (args[0].equals("fail")) {
                        throw new IllegalStateException("the application failed on purpose");
                    }
                    try (KindlingContext kc = Kindling.builder().appName("submitted").build()) {
                        kc.textFile(args[0]).flatMap(line -> lib.Tokenizer.words(line).iterator())
                                .mapToPair(w -> new Pair<>(w, 1)).reduceByKey(Integer::sum)
                                .map(p -> p.key() + "\\t" + p.value()).saveAsTextFile(args[1]);
                        Files.writeString(Path.of(args[2]), kc.getConf().get("kindling.master", "none") + " "
                                + kc.getConf().get("kindling.task.maxFailures", "none") + " " + kc.executorThreads());
                    }
                }
            }
            """;

    @BeforeAll
    static void buildJars() throws IOException {
        libJar = jar("lib", Map.of("lib/Tokenizer.java", TOKENIZER), System.getProperty("java.class.path"));
        appJar = jar("app", Map.of("app/WordCount.java", APP),
                System.getProperty("java.class.path") + java.io.File.pathSeparator + dir.resolve("lib-classes"));
    }

    /** Compiles {@code sources} against {@code classPath} into {@code <name>-classes} and packs them as {@code <name>.jar}. */
    private static Path jar(String name, Map<String, String> sources, String classPath) throws IOException {
        Path src = dir.resolve(name + "-src");
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        List<String> args = new ArrayList<>(List.of("-classpath", classPath, "-d", classes.toString()));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), diagnostics::toString);
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }

    private record Run(int status, String out, String err) {
    }

    private static Run submit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("submit"));
        all.addAll(List.of(args));
        int status = KindlingCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(new String[0]));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void submit_runsTheJarsMainClass_withTheJarsAndSettingsGiven_andItsResultIsTheWordCount() throws Exception {
        Random random = new Random(5);
        String text = IntStream.range(0, 400).mapToObj(i -> IntStream.range(0, random.nextInt(6))
                .mapToObj(j -> "w" + random.nextInt(30)).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n", "", "\n"));
        Path input = Files.writeString(dir.resolve("words.txt"), text);
        Path output = dir.resolve("counts");
        Path seen = dir.resolve("seen.txt");

        String masterBefore = System.getProperty("kindling.master");
        Run run = submit("--class", "app.WordCount", "--master", "local[3]", "--conf", "kindling.task.maxFailures=2",
                "--jars", libJar.toString(), appJar.toString(), input.toString(), output.toString(), seen.toString());

        assertEquals(0, run.status(), run::err);
        assertEquals("local[3] 2 3", Files.readString(seen), "--master and --conf reach Kindling.builder() in the app");
        Map<String, Long> expected = Stream.of(text.split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Map<String, Long> actual = new TreeMap<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    String[] kv = line.split("\t");
                    actual.put(kv[0], Long.parseLong(kv[1]));
                }
            }
        }
        assertEquals(expected, actual);
        assertEquals(masterBefore, System.getProperty("kindling.master"), "the settings are the app's only while it runs");
    }

    @Test
    void whenTheAppThrows_thenSubmitExitsWith1_namingTheCause() {
        Run run = submit("--class", "app.WordCount", "--jars", libJar.toString(), appJar.toString(), "fail");
        assertEquals(1, run.status(), run::err);
        assertTrue(run.err().contains("the application failed on purpose"), run::err);
    }

    @Test
    void clusterDeployModeWithoutYarnOrHadoop_unknownClass_andMissingJars_areUsageErrors() {
        Run cluster = submit("--class", "app.WordCount", "--deploy-mode", "cluster", "--master", "local[2]", appJar.toString());
        assertEquals(2, cluster.status());
        assertTrue(cluster.err().contains("--deploy-mode cluster runs the driver in a YARN container: it needs --master yarn"
                + " (got --master local[2])"), cluster::err);

        // This run has no Hadoop jars (YarnClusterTest submits to a real mini cluster).
        Run noHadoop = submit("--class", "app.WordCount", "--deploy-mode", "cluster", "--master", "yarn", appJar.toString());
        assertEquals(2, noHadoop.status());
        assertTrue(noHadoop.err().contains("master yarn needs Hadoop's client jars"), noHadoop::err);

        Run clusterNoClass = submit("--class", "app.Nope", "--deploy-mode", "cluster", "--master", "yarn", appJar.toString());
        assertEquals(2, clusterNoClass.status());
        assertTrue(clusterNoClass.err().contains("--class app.Nope: no such class in " + appJar), clusterNoClass::err);

        Run waitInClientMode = submit("--class", "app.WordCount", "--wait", appJar.toString());
        assertEquals(2, waitInClientMode.status());
        assertTrue(waitInClientMode.err().contains("--wait waits for a YARN application of --deploy-mode cluster"),
                waitInClientMode::err);

        Run noClass = submit("--class", "app.Nope", appJar.toString());
        assertEquals(2, noClass.status());
        assertTrue(noClass.err().contains("--class app.Nope: no such class in " + appJar), noClass::err);

        Run noJar = submit("--class", "app.WordCount", "--jars", dir.resolve("missing.jar").toString(), appJar.toString());
        assertEquals(2, noJar.status());
        assertTrue(noJar.err().contains("--jars " + dir.resolve("missing.jar") + " is not a readable file"), noJar::err);
    }

    @Test
    void throughTheRealLauncher_theExitStatusIsTheApps() throws Exception {
        Processes.Result result = Processes.launcher(dir, null, "submit", "--class", "app.WordCount",
                appJar.toString(), "exit", "3");
        assertEquals(3, result.exitCode(), result::all);
    }

    @Test
    void shellJars_putTheJarsOnTheSessionsClassPath() throws Exception {
        Processes.Result session = Processes.kindling("System.out.println(\"words=\" + lib.Tokenizer.words(\" a b  c \"));\n"
                + "System.out.println(\"counted=\" + kc.parallelize(java.util.List.of(\"x y\", \"z\"), 2)"
                + ".map(l -> lib.Tokenizer.words(l).size()).reduce(Integer::sum));\n/exit\n",
                "shell", "--master", "local[2]", "--jars", libJar.toString());
        assertEquals(0, session.exitCode(), session::all);
        assertTrue(session.out().contains("words=[a, b, c]"), session::all);
        assertTrue(session.out().contains("counted=3"), session::all);
    }
}
