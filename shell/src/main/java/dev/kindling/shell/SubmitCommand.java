package dev.kindling.shell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kindling submit --class MAIN [--master M] [--conf k=v]... [--jars a.jar,b.jar] app.jar [args]}:
 * Kindling's {@code spark-submit}. Runs the main class of an application jar in this JVM:
 * <ol>
 *   <li>A class loader over {@code app.jar} and the {@code --jars}, whose parent is Kindling's, loads
 *       the main class; it is the context class loader while the application runs, so executor
 *       threads (and the task deserializer) see the application's classes.</li>
 *   <li>{@code --master} and {@code --conf} become {@code kindling.*} system properties for as long as
 *       the application runs, so {@code Kindling.builder()} and {@code Kindling.local()} in it pick
 *       them up (settings the application passes itself win, as with {@code spark-submit}).</li>
 *   <li>The exit status is the application's: 0 when {@code main} returns, 1 when it throws (reported
 *       root cause first), or what it passes to {@code System.exit}.</li>
 *   <li>{@code --deploy-mode client} (the default) runs the driver here; {@code --deploy-mode cluster}
 *       (with {@code --master yarn}) runs it in the YARN application's master container instead and
 *       prints the application's id ({@link ClusterDeploy}); with {@code --wait} the exit status is then
 *       the application's (0 when it succeeded, 1 when it failed or was killed).</li>
 * </ol>
 */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = KindlingCli.Version.class,
        description = {"Runs the main class of an application jar with Kindling on its class path, e.g.",
                "  kindling submit --class com.example.WordCount --master local[4] app.jar in.txt out"})
final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ContextOptions context = new ContextOptions();

    @Option(names = "--class", required = true, paramLabel = "<main-class>",
            description = "The application's main class (fully qualified).")
    String mainClass;

    @Option(names = "--deploy-mode", paramLabel = "<mode>", defaultValue = "client",
            description = "Where the driver runs: client (this process) or cluster (with --master yarn: the YARN"
                    + " application's master container; prints the application id).")
    String deployMode;

    @Option(names = "--wait", description = "With --deploy-mode cluster: wait until the application ended; exit 0 when"
            + " it succeeded, 1 (with YARN's diagnostics) when it failed or was killed.")
    boolean waitForEnd;

    @Option(names = "--jars", split = ",", paramLabel = "<jar>",
            description = "More jars for the application's class path, comma-separated.")
    List<Path> jars = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "<app.jar>", description = "The application jar.")
    Path appJar;

    @Parameters(index = "1..*", paramLabel = "<args>", description = "Arguments for the application's main method.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine line = spec.commandLine();
        if (!deployMode.equals("client") && !deployMode.equals("cluster")) {
            throw new CommandLine.ParameterException(line, "--deploy-mode " + deployMode + ": expected client or cluster");
        }
        List<URL> classPath = new ArrayList<>(List.of(urls(line, List.of(appJar), "<app.jar>")));
        classPath.addAll(List.of(urls(line, jars, "--jars")));
        if (deployMode.equals("cluster")) {
            List<Path> all = new ArrayList<>(List.of(appJar));
            all.addAll(jars);
            try (URLClassLoader loader = new URLClassLoader("kindling-app", classPath.toArray(new URL[0]),
                    KindlingCli.class.getClassLoader())) {
                mainMethod(line, loader); // a wrong --class fails here, not minutes later in a container
            }
            return ClusterDeploy.run(line, context.settings(line), mainClass, all, args, waitForEnd);
        }
        if (waitForEnd) {
            throw new CommandLine.ParameterException(line, "--wait waits for a YARN application of --deploy-mode cluster;"
                    + " in client mode the command always runs until the application ends");
        }
        URL[] urls = classPath.toArray(new URL[0]);
        Map<String, String> settings = context.settings(line);
        try (URLClassLoader loader = new URLClassLoader("kindling-app", urls, KindlingCli.class.getClassLoader())) {
            Method main = mainMethod(line, loader);
            return runWith(settings, loader, main, args.toArray(new String[0]));
        }
    }

    /** The URLs of {@code jars}, each checked to be a readable file; {@code option} names them in errors. */
    static URL[] urls(CommandLine line, List<Path> jars, String option) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                throw new CommandLine.ParameterException(line, option + " " + jar + " is not a readable file (resolved"
                        + " to " + jar.toAbsolutePath() + "); check the path");
            }
            try {
                urls[i] = jar.toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new CommandLine.ParameterException(line, option + " entry " + jar + ": " + e.getMessage());
            }
        }
        return urls;
    }

    private Method mainMethod(CommandLine line, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(mainClass, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CommandLine.ParameterException(line, "--class " + mainClass + ": no such class in " + appJar
                    + (jars.isEmpty() ? "" : " or the --jars") + " (" + e + "); give the fully qualified name");
        }
        try {
            Method main = type.getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new NoSuchMethodException("main is not static");
            }
            return main;
        } catch (NoSuchMethodException e) {
            throw new CommandLine.ParameterException(line, "--class " + mainClass + " has no public static void"
                    + " main(String[]) method");
        }
    }

    /**
     * Runs {@code main} with {@code settings} as system properties and {@code loader} as the context
     * class loader, restoring both afterwards; an exception thrown by the application propagates.
     */
    private static int runWith(Map<String, String> settings, ClassLoader loader, Method main, String[] args)
            throws Exception {
        Map<String, String> previous = new HashMap<>();
        settings.forEach((k, v) -> previous.put(k, System.getProperty(k)));
        settings.forEach(System::setProperty);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args);
            return 0;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } finally {
            thread.setContextClassLoader(before);
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
