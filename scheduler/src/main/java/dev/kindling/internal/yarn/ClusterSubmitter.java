package dev.kindling.internal.yarn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kindling submit --master yarn --deploy-mode cluster}: submits an application whose master
 * ({@link DriverApplicationMaster}) runs the user's driver, and optionally waits for it to end. Its
 * signatures name no Hadoop type, so the command line can call it without compiling against Hadoop.
 *
 * <ol>
 *   <li>{@link #submit}: stages this JVM's class path (Kindling's and Hadoop's jars), the application's
 *       jars and Hadoop's configuration as the application's local resources, and submits its master
 *       with {@value YarnKeys#DRIVER_MEMORY} of heap plus {@value YarnKeys#DRIVER_MEMORY_OVERHEAD}. The
 *       settings, the main class and its arguments travel in the master's environment, never on a
 *       command line; the driver makes its application secret itself, inside the master.</li>
 *   <li>{@link #awaitEnd}: polls the ResourceManager until the application ended and says how.</li>
 * </ol>
 * The master deletes the staging directory when it ends; {@link #awaitEnd} deletes it too, for an
 * application killed before its master could.
 */
public final class ClusterSubmitter implements AutoCloseable {

    /** How an application ended: YARN's state and final status, its diagnostics, and whether it succeeded. */
    public record Outcome(String state, String finalStatus, String diagnostics, boolean succeeded) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSubmitter.class);
    private static final long POLL_MS = 1_000;

    private final YarnSubmission submission;

    private ClusterSubmitter(YarnSubmission submission) {
        this.submission = submission;
    }

    /**
     * Submits {@code mainClass} of {@code appJars} with {@code args}, configured by {@code conf} (the
     * {@code kindling.*} settings its driver gets; {@code kindling.hadoop.*} and HADOOP_CONF_DIR name the
     * cluster); returns once YARN accepted it.
     *
     * @throws IOException when the ResourceManager cannot be reached, the queue does not exist, staging
     *     fails or YARN refuses the application, saying which
     */
    public static ClusterSubmitter submit(Map<String, String> conf, String mainClass, List<Path> appJars, List<String> args)
            throws IOException {
        int heapMb = YarnKeys.driverMemoryMb(conf);
        int overheadMb = YarnKeys.driverOverheadMb(conf, heapMb);
        YarnSubmission submission = YarnSubmission.create(conf);
        Path scratch = Files.createTempDirectory("kindling-submit-");
        try {
            List<String> classPath = new ArrayList<>();
            appJars.forEach(j -> classPath.add(j.toAbsolutePath().toString()));
            classPath.addAll(Arrays.asList(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)));
            StagedFiles staged = submission.stage(classPath, scratch);
            Map<String, String> indexed = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                indexed.put(Integer.toString(i), args.get(i));
            }
            Map<String, String> env = new HashMap<>();
            env.put(ApplicationMaster.ENV_RESOURCES, staged.encode());
            env.put(ApplicationMaster.ENV_CLASS_PATH, staged.classPath());
            env.put(DriverApplicationMaster.ENV_DRIVER_CONF, ContainerEnv.encodeEnv(conf));
            env.put(DriverApplicationMaster.ENV_MAIN_CLASS, mainClass);
            env.put(DriverApplicationMaster.ENV_ARGS, ContainerEnv.encodeEnv(indexed));
            env.put(DriverApplicationMaster.ENV_STAGING_DIR, submission.stagingDir().toUri().toString());
            submission.submit(staged, env, DriverApplicationMaster.class.getName(), heapMb, overheadMb);
            return new ClusterSubmitter(submission);
        } catch (IOException | RuntimeException e) {
            submission.deleteStaging();
            submission.close();
            throw e;
        } finally {
            deleteTree(scratch);
        }
    }

    /** The application's id, such as {@code application_1764671400000_0001}. */
    public String applicationId() {
        return submission.appId().toString();
    }

    /** Polls the ResourceManager until the application is FINISHED, FAILED or KILLED; then deletes its staging directory. */
    public Outcome awaitEnd() throws IOException, InterruptedException {
        while (true) {
            ApplicationReport r;
            try {
                r = submission.client().getApplicationReport(submission.appId());
            } catch (YarnException e) {
                throw new IOException("Could not get the report of " + applicationId() + " from YARN: " + e.getMessage(), e);
            }
            YarnApplicationState state = r.getYarnApplicationState();
            if (state == YarnApplicationState.FINISHED || state == YarnApplicationState.FAILED
                    || state == YarnApplicationState.KILLED) {
                submission.deleteStaging();
                String diagnostics = r.getDiagnostics() == null ? "" : r.getDiagnostics().strip();
                return new Outcome(state.toString(), String.valueOf(r.getFinalApplicationStatus()), diagnostics,
                        state == YarnApplicationState.FINISHED
                                && r.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED);
            }
            LOG.debug("{} is {}", applicationId(), state);
            Thread.sleep(POLL_MS);
        }
    }

    /** Stops the YARN client; the application goes on. */
    @Override
    public void close() {
        submission.close();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
