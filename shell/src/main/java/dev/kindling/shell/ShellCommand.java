package dev.kindling.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kindling shell [--master M] [--conf k=v]... [--jars a.jar,b.jar] [script.jsh...]}: the interactive
 * JShell session; {@code --jars} are on the snippets' class path.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = KindlingCli.Version.class,
        description = {"Starts JShell with Kindling on the class path, its API imported and a ready context in 'kc'.",
                "Scripts given as arguments run first; input may also be piped in: kindling shell < analysis.jsh.",
                "End a script with /exit to leave afterwards; /exit closes the context."})
final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ContextOptions context = new ContextOptions();

    @Option(names = "--feedback", paramLabel = "<mode>",
            description = "JShell feedback mode: normal (default), concise, verbose or silent.")
    String feedback;

    @Option(names = "--jars", split = ",", paramLabel = "<jar>",
            description = "Jars to add to the session's class path (snippets and executor threads), comma-separated.")
    List<Path> jars = new ArrayList<>();

    @Parameters(paramLabel = "<script>", arity = "0..*", description = "JShell scripts (.jsh) to run first.")
    List<Path> scripts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> jshellOptions = new ArrayList<>();
        if (feedback != null) {
            jshellOptions.add("--feedback");
            jshellOptions.add(feedback);
        }
        String jarPath = null;
        if (!jars.isEmpty()) {
            SubmitCommand.urls(spec.commandLine(), jars, "--jars");
            jarPath = String.join(java.io.File.pathSeparator, jars.stream().map(j -> j.toAbsolutePath().toString()).toList());
            // The compiler's class path replaces the default (this JVM's), so it names both.
            jshellOptions.add("--class-path");
            jshellOptions.add(System.getProperty("java.class.path") + java.io.File.pathSeparator + jarPath);
        }
        ShellSession.configureJars(jarPath);
        return new KindlingShell(context.settings(spec.commandLine()), jshellOptions, scripts).run();
    }
}
