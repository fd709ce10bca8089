package dev.kindling.shell;

import dev.kindling.KindlingConf;
import dev.kindling.internal.yarn.ClusterSubmitter;
import dev.kindling.internal.yarn.YarnKeys;
import dev.kindling.internal.yarn.YarnLauncher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code kindling submit --master yarn --deploy-mode cluster [--wait]}: the driver runs in the YARN
 * application's master container ({@link ClusterSubmitter}), not in this process.
 * <ol>
 *   <li>The settings are the command line's over the {@code kindling.*} system properties of this JVM
 *       (so {@code KINDLING_JAVA_OPTS=-Dkindling...} reaches the driver too); the master must be {@code yarn}.</li>
 *   <li>The application id is printed on its own line on standard output as soon as YARN accepted the
 *       application; without {@code --wait} the command then exits 0.</li>
 *   <li>With {@code --wait} it polls the ResourceManager until the application ended: exit 0 when it
 *       finished with SUCCEEDED, else exit 1 with YARN's state, final status and diagnostics (which
 *       name the exception that the main method threw) on standard error.</li>
 * </ol>
 */
final class ClusterDeploy {

    /** Exit status of an application that failed or was killed. */
    static final int FAILED = 1;

    private ClusterDeploy() {
    }

    /**
     * Submits {@code mainClass} of {@code jars} (the application jar first) with {@code args} and the
     * command line's {@code settings}; returns the exit status.
     */
    static int run(CommandLine line, Map<String, String> settings, String mainClass, List<Path> jars, List<String> args,
                   boolean wait) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("kindling."))
                .forEach(k -> conf.put(k, System.getProperty(k)));
        conf.putAll(settings);
        String master = conf.get(KindlingConf.MASTER);
        if (!YarnKeys.isYarn(master)) {
            throw new CommandLine.ParameterException(line, "--deploy-mode cluster runs the driver in a YARN container:"
                    + " it needs --master yarn (got " + (master == null ? "no --master" : "--master " + master)
                    + "); use --deploy-mode client for other masters");
        }
        try {
            Class.forName("org.apache.hadoop.yarn.client.api.YarnClient", false, ClusterDeploy.class.getClassLoader());
            YarnLauncher.checkUsable();
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CommandLine.ParameterException(line, "--deploy-mode cluster: master yarn needs Hadoop's client jars"
                    + " (hadoop-client-api and hadoop-client-runtime) on the class path: set HADOOP_HOME (bin/kindling"
                    + " adds them) or KINDLING_DIST_CLASSPATH=\"$(hadoop classpath)\"");
        }
        PrintWriter out = line.getOut();
        PrintWriter err = line.getErr();
        try (ClusterSubmitter app = ClusterSubmitter.submit(conf, mainClass, jars, args)) {
            out.println(app.applicationId());
            out.flush();
            if (!wait) {
                err.println("Submitted " + app.applicationId() + "; follow it with yarn application -status "
                        + app.applicationId() + " (or submit with --wait)");
                err.flush();
                return 0;
            }
            ClusterSubmitter.Outcome end = app.awaitEnd();
            if (end.succeeded()) {
                err.println("The YARN application " + app.applicationId() + " finished: " + end.finalStatus());
                err.flush();
                return 0;
            }
            String diagnostics = end.diagnostics().isEmpty() ? "no diagnostics" : end.diagnostics();
            if (end.state().equals("KILLED")) {
                err.println("The YARN application " + app.applicationId() + " was killed (KILLED): " + diagnostics);
            } else {
                err.println("The YARN application " + app.applicationId() + " failed (" + end.state() + ", "
                        + end.finalStatus() + "): " + diagnostics);
            }
            err.println("Its containers' logs: yarn logs -applicationId " + app.applicationId());
            err.flush();
            return FAILED;
        }
    }
}
