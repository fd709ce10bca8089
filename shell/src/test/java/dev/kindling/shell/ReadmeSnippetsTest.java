package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code is true: every {@code ```java} block of README.md is compiled with
 * javax.tools against this module's test class path and run in a JVM of its own from the project's
 * root. A block's leading {@code import} lines are its imports; the statements after them become the
 * body of a {@code main} method. A block without imports continues the API tour, so it gets the
 * tour's (the first block's) imports. A comment {@code // ... prints: X} states a line the block
 * must print.
 */
class ReadmeSnippetsTest {

    /** One README block as a compilable class. */
    private record Snippet(String className, int readmeLine, int bodyLine, String source, List<String> expectedLines) {
    }

    @Test
    void everyJavaSnippetCompilesAndRunsPrintingWhatItSays(@TempDir Path dir) throws Exception {
        List<Readme.CodeBlock> blocks = Readme.codeBlocks("java");
        assertTrue(blocks.size() >= 2, "README.md should hold the API tour and the broadcast example: " + blocks.size());
        List<Snippet> snippets = new ArrayList<>();
        List<String> tourImports = null;
        for (int i = 0; i < blocks.size(); i++) {
            Readme.CodeBlock block = blocks.get(i);
            List<String> imports = new ArrayList<>();
            int first = 0;
            while (first < block.lines().size() && (block.lines().get(first).startsWith("import ")
                    || block.lines().get(first).isBlank())) {
                if (!block.lines().get(first).isBlank()) {
                    imports.add(block.lines().get(first));
                }
                first++;
            }
            if (tourImports == null) {
                assertFalse(imports.isEmpty(), "the first Java block of README.md (line " + block.firstLine()
                        + "), the API tour, must show its imports");
                tourImports = imports;
            }
            snippets.add(snippet("ReadmeSnippet" + i, block, first, imports.isEmpty() ? tourImports : imports));
        }

        compile(dir, snippets);

        for (Snippet s : snippets) {
            Processes.Result result = java(dir, s.className());
            assertEquals(0, result.exitCode(), () -> "the README.md snippet at line " + s.readmeLine()
                    + " failed when run from " + Readme.root() + ":\n" + result.all());
            List<String> printed = result.out().lines().map(String::strip).toList();
            for (String expected : s.expectedLines()) {
                assertTrue(printed.contains(expected), () -> "the README.md snippet at line " + s.readmeLine()
                        + " says it prints '" + expected + "', but printed:\n" + result.out());
            }
        }
    }

    private static Snippet snippet(String className, Readme.CodeBlock block, int firstBodyLine, List<String> imports) {
        StringBuilder source = new StringBuilder();
        imports.forEach(i -> source.append(i).append('\n'));
        source.append("public class ").append(className).append(" {\n")
                .append("    public static void main(String[] args) throws Exception {\n");
        int bodyLine = imports.size() + 3; // line of the first body line in the generated source
        List<String> expected = new ArrayList<>();
        for (String line : block.lines().subList(firstBodyLine, block.lines().size())) {
            source.append("        ").append(line).append('\n');
            int prints = line.indexOf("prints: ");
            if (line.contains("//") && prints > line.indexOf("//")) {
                expected.add(line.substring(prints + "prints: ".length()).strip());
            }
        }
        source.append("    }\n}\n");
        return new Snippet(className, block.firstLine() + firstBodyLine, bodyLine, source.toString(), expected);
    }

    private static void compile(Path dir, List<Snippet> snippets) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> files = new ArrayList<>();
        for (Snippet s : snippets) {
            Path file = dir.resolve(s.className() + ".java");
            Files.writeString(file, s.source(), StandardCharsets.UTF_8);
            files.add(file);
        }
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            StringWriter output = new StringWriter();
            boolean ok = compiler.getTask(output, fm, diagnostics,
                    List.of("-classpath", Processes.classPath(), "-d", dir.toString(), "-proc:none", "-Xlint:none"),
                    null, fm.getJavaFileObjectsFromPaths(files)).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Snippet s = snippets.stream().filter(x -> d.getSource() != null
                        && d.getSource().getName().endsWith(x.className() + ".java")).findFirst().orElse(null);
                long readmeLine = s == null ? -1 : s.readmeLine() + d.getLineNumber() - s.bodyLine();
                errors.append("README.md line ").append(readmeLine).append(": ")
                        .append(d.getMessage(Locale.ROOT)).append('\n');
            }
            assertTrue(ok, () -> "README.md's Java snippets do not compile:\n" + errors + output);
        }
    }

    private static Processes.Result java(Path classes, String className) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classes + java.io.File.pathSeparator + Processes.classPath(),
                className);
        Process process = new ProcessBuilder(command).directory(Readme.root().toFile()).start();
        try {
            process.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread drain = new Thread(() -> {
                try {
                    err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    err.completeExceptionally(e);
                }
            });
            drain.setDaemon(true);
            drain.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), className + " did not finish");
            return new Processes.Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
    }
}
