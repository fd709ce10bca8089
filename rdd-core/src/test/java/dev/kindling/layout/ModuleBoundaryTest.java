package dev.kindling.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundary, for real: a program compiled as a JPMS module against Kindling's module jars
 * (or classes directories) runs a job on the module path in a child JVM, and a program that imports
 * an internal package does not compile ("not visible"). Tests otherwise run on the class path, where
 * {@code module-info} is not enforced, so this is the test that proves the exports.
 */
class ModuleBoundaryTest {

    /** A liveness bound for the child JVM, not a speed limit: the job takes about a second. */
    private static final long CHILD_PATIENCE_SECONDS = 120;

    private static final List<String> WORDS = List.of("a", "b", "a", "c", "b", "a", "kindling", "", "c", "a");

    private static String modulePath;

    @BeforeAll
    static void findModules() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String anchor : List.of("dev.kindling.KindlingContext", "dev.kindling.scheduler.Partitioner",
                "dev.kindling.storage.StorageLevel", "com.esotericsoftware.kryo.Kryo", "com.esotericsoftware.minlog.Log",
                "com.esotericsoftware.reflectasm.FieldAccess", "org.objenesis.Objenesis", "org.slf4j.LoggerFactory",
                "org.slf4j.simple.SimpleLogger", "it.unimi.dsi.fastutil.HashCommon",
                "org.apache.datasketches.hll.HllSketch", "org.apache.datasketches.memory.Memory",
                "io.netty.buffer.ByteBuf", "io.netty.handler.codec.ByteToMessageDecoder", "io.netty.util.ReferenceCounted",
                "io.netty.channel.Channel", "io.netty.resolver.AddressResolver",
                "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
                "com.fasterxml.jackson.annotation.JsonProperty", "com.github.benmanes.caffeine.cache.Caffeine")) {
            Class<?> c = Class.forName(anchor, false, ModuleBoundaryTest.class.getClassLoader());
            String entry = ApiSurfaceTest.location(c).toString();
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        modulePath = String.join(File.pathSeparator, entries);
    }

    @Test
    void aProgramCompiledAsAModuleRunsAJobOnTheModulePath(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module app { requires dev.kindling.core; }\n");
        write(src.resolve("app/Main.java"), """
                package app;

                import dev.kindling.Broadcast;
                import dev.kindling.Kindling;
                import dev.kindling.KindlingContext;
                import dev.kindling.LongAccumulator;
                import dev.kindling.Pair;
                import dev.kindling.PairRDD;
                import dev.kindling.RDD;
                import dev.kindling.StatCounter;
                import dev.kindling.storage.StorageLevel;
                import java.util.Arrays;
                import java.util.List;
                import java.util.TreeMap;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (KindlingContext kc = Kindling.builder().master("local[2]")
                                .config("kindling.shuffle.forceDisk", "true")
                                .config("kindling.local.dir", args[0]).build()) {
                            Broadcast<Long> one = kc.broadcast(1L);
                            LongAccumulator seen = kc.longAccumulator("seen");
                            PairRDD<String, Long> counts = kc.parallelize(Arrays.asList(args).subList(1, args.length), 4)
                                    .mapToPair(w -> { seen.add(1L); return Pair.of(w, one.value()); })
                                    .reduceByKey(Long::sum)
                                    .persist(StorageLevel.MEMORY_ONLY_SER);
                            counts.count();
                            // Kryo writes Kindling's own StatCounter (private fields): needs the package opened to Kryo.
                            RDD<StatCounter> stats = kc.parallelize(List.of(1.0, 2.0, 3.0, 4.0), 2)
                                    .map(x -> StatCounter.of(x)).persist(StorageLevel.MEMORY_ONLY_SER);
                            stats.count();
                            StatCounter total = stats.reduce(StatCounter::merge);
                            System.out.println("stats " + total.count() + " " + total.mean());
                            System.out.println("modules " + KindlingContext.class.getModule().getName() + " "
                                    + Main.class.getModule().getName());
                            System.out.println("seen " + seen.value());
                            // DataSketches, an automatic module, on the module path (small counts are exact).
                            System.out.println("distinct " + kc.parallelize(Arrays.asList(args).subList(1, args.length), 2)
                                    .countApproxDistinct(0.05));
                            System.out.println("counts " + new TreeMap<>(counts.collectAsMap()));
                        }
                    }
                }
                """);
        Path out = dir.resolve("out");
        List<Diagnostic<? extends JavaFileObject>> errors = compile(src, out);
        assertEquals(List.of(), errors.stream().map(d -> d.getMessage(null)).collect(Collectors.toList()),
                "the API is enough to write the program");

        Path localDir = Files.createDirectory(dir.resolve("local"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--module-path", out + File.pathSeparator + modulePath, "-m", "app/app.Main",
                localDir.toString()));
        command.addAll(WORDS);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output;
            try (InputStream in = child.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(child.waitFor(CHILD_PATIENCE_SECONDS, TimeUnit.SECONDS), "child JVM ended:\n" + output);
            assertEquals(0, child.exitValue(), "child JVM failed:\n" + output);
            Map<String, Long> expected = WORDS.stream()
                    .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
            List<String> lines = output.lines().filter(l -> l.startsWith("modules ") || l.startsWith("seen ")
                    || l.startsWith("counts ") || l.startsWith("stats ") || l.startsWith("distinct "))
                    .collect(Collectors.toList());
            assertEquals(List.of("stats 4 2.5", "modules dev.kindling.core app", "seen " + WORDS.size(),
                    "distinct " + expected.size(), "counts " + expected), lines,
                    "ran as named modules, with the same answer as java.util.stream; output:\n" + output);
            try (var left = Files.list(localDir)) {
                assertEquals(List.of(), left.collect(Collectors.toList()), "the context removed its scratch directory");
            }
        } finally {
            child.destroyForcibly().waitFor(CHILD_PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProgramThatImportsAnInternalPackageDoesNotCompile(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module bad { requires dev.kindling.core; }\n");
        write(src.resolve("bad/Main.java"), """
                package bad;

                import dev.kindling.internal.rdd.MapPartitionsRDD;
                import dev.kindling.internal.scheduler.DAGScheduler;
                import dev.kindling.internal.storage.block.BlockManager;

                public class Main {
                    MapPartitionsRDD<?, ?> rdd;
                    DAGScheduler scheduler;
                    BlockManager blocks;
                }
                """);
        List<Diagnostic<? extends JavaFileObject>> errors = compile(src, dir.resolve("out"));
        assertFalse(errors.isEmpty(), "importing internal packages must not compile");
        String messages = errors.stream().map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
        for (String[] p : new String[][] {{"dev.kindling.internal.rdd", "dev.kindling.core"},
                {"dev.kindling.internal.scheduler", "dev.kindling.scheduler"},
                {"dev.kindling.internal.storage.block", "dev.kindling.storage"}}) {
            assertTrue(messages.contains("package " + p[0] + " is declared in module " + p[1]
                    + ", which does not export it"), p[0] + " is reported as not exported by " + p[1] + ":\n" + messages);
        }
        assertTrue(messages.contains("is not visible"), messages);
    }

    /** Compiles the module in {@code src} into {@code out} against Kindling's modules only (not this JVM's class path). */
    private static List<Diagnostic<? extends JavaFileObject>> compile(Path src, Path out) throws IOException {
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> sources;
        try (var files = Files.walk(src)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            javac.getTask(null, files, diagnostics, List.of("--module-path", modulePath,
                    "--class-path", out.toString(), "-d", out.toString()), null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .collect(Collectors.toList());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
