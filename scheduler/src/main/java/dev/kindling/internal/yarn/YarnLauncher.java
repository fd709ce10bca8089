package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.ExecutorLauncher;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of {@code --master yarn --deploy-mode client}: submits a small
 * {@link ApplicationMaster} with {@link YarnClient}, which asks the ResourceManager for the executor
 * containers and starts {@code ExecutorProcess} in each; the executors register with this driver as
 * those of a local cluster do.
 *
 * <ol>
 *   <li>{@link #start}: stages the driver's class path and the Hadoop configuration in
 *       {@code .kindling-staging/<application id>} under the default file system's home directory,
 *       submits the application master (queue, name, tags from the configuration) with the executors'
 *       environment (settings and the application secret: never on a command line) and expects
 *       executors {@code 0..N-1} and their replacements {@code N..N+F-1}.</li>
 *   <li>A thread polls the application's report; once it ended (killed from YARN, failed) every
 *       executor is reported ended with the report's state and diagnostics, so running jobs fail with it.</li>
 *   <li>{@link #close()} (after the driver's server closed, which the application master watches) waits
 *       for the application to finish, kills it if it does not, and deletes the staging directory.</li>
 * </ol>
 */
public final class YarnLauncher extends YarnExecutors {

    private static final Logger LOG = LoggerFactory.getLogger(YarnLauncher.class);
    /** How long close() waits for the application master to finish after the driver stopped. */
    private static final long FINISH_WAIT_MS = 30_000;
    private static final long POLL_MS = 500;

    private volatile boolean closing;
    private YarnSubmission submission;
    private YarnClient yarn;
    private ApplicationId appId;
    private volatile boolean submitted;
    private Thread monitor;

    /** A launcher for the executors that {@code conf} (the application's configuration) asks for. */
    public YarnLauncher(Map<String, String> conf) {
        super(conf);
    }

    /** Hadoop's configuration for the client: the class path's files, then every {@value YarnKeys#HADOOP_PREFIX} key. */
    static YarnConfiguration hadoopConf(Map<String, String> conf) {
        YarnConfiguration hadoop = new YarnConfiguration();
        conf.forEach((k, v) -> {
            if (k.startsWith(YarnKeys.HADOOP_PREFIX)) {
                hadoop.set(k.substring(YarnKeys.HADOOP_PREFIX.length()), v);
            }
        });
        return hadoop;
    }

    /**
     * The executors of a {@code --master yarn} driver in this JVM: inside a cluster-mode application master
     * ({@link DriverApplicationMaster}) this application's containers, anywhere else a new application's
     * (client mode).
     */
    public static ExecutorLauncher forDriver(Map<String, String> conf) {
        DriverApplicationMaster am = DriverApplicationMaster.current();
        return am != null ? new ClusterModeLauncher(am, conf) : new YarnLauncher(conf);
    }

    /** Loads a YARN configuration: fails with a {@link LinkageError} unless Hadoop's client runtime is on the class path. */
    public static void checkUsable() {
        new YarnConfiguration().get(YarnConfiguration.RM_ADDRESS);
    }

    /** The application's id once submitted, else null. */
    public ApplicationId applicationId() {
        return appId;
    }

    @Override
    public void start(Spec spec, Events events) throws IOException {
        submission = YarnSubmission.create(conf);
        yarn = submission.client();
        appId = submission.appId();
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator));
        StagedFiles staged = submission.stage(classPath, spec.localDir().resolve("yarn-staging"));

        Map<String, String> executorEnv = spec.environment("0", ApplicationMaster.EXECUTOR_DIR);
        Map<String, String> amEnv = new HashMap<>();
        amEnv.put(ApplicationMaster.ENV_EXECUTOR_ENV, ContainerEnv.encodeEnv(executorEnv));
        amEnv.put(ApplicationMaster.ENV_RESOURCES, staged.encode());
        amEnv.put(ApplicationMaster.ENV_CLASS_PATH, staged.classPath());
        amEnv.put(ApplicationMaster.ENV_SETTINGS, ApplicationMaster.encodeSettings(executors, cores, YarnKeys.memoryMb(conf),
                YarnKeys.overheadMb(conf, YarnKeys.memoryMb(conf)), maxFailures));
        expectExecutors(events);
        int amHeap = YarnKeys.amMemoryMb(conf);
        submission.submit(staged, amEnv, ApplicationMaster.class.getName(), amHeap, YarnKeys.overheadMb(conf, amHeap));
        submitted = true;
        LOG.info("{}: {} executor(s) of {} core(s) and {} MiB + {} MiB overhead", appId, executors, cores,
                YarnKeys.memoryMb(conf), YarnKeys.overheadMb(conf, YarnKeys.memoryMb(conf)));
        monitor = new Thread(() -> watch(events), "kindling-yarn-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    private void watch(Events events) {
        while (!closing) {
            try {
                ApplicationReport report = yarn.getApplicationReport(appId);
                YarnApplicationState state = report.getYarnApplicationState();
                if (state == YarnApplicationState.FINISHED || state == YarnApplicationState.FAILED
                        || state == YarnApplicationState.KILLED) {
                    if (closing) {
                        return;
                    }
                    String why = "The YARN application " + appId + " ended (" + state + "): "
                            + (report.getDiagnostics() == null || report.getDiagnostics().isBlank() ? "no diagnostics"
                            : report.getDiagnostics().strip());
                    LOG.error(why);
                    endAll(events, why);
                    return;
                }
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            } catch (YarnException | IOException | RuntimeException e) {
                if (!closing) {
                    LOG.warn("Could not get the report of {} from YARN: {}", appId, e.toString());
                    try {
                        Thread.sleep(POLL_MS);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public String describe(Collection<String> waiting) {
        String state = "";
        try {
            if (yarn != null && submitted) {
                ApplicationReport r = yarn.getApplicationReport(appId);
                state = " The YARN application " + appId + " is " + r.getYarnApplicationState() + " (" + r.getDiagnostics()
                        + "); see its containers' logs (yarn logs -applicationId " + appId + ").";
            }
        } catch (YarnException | IOException e) {
            state = " The YARN application " + appId + "'s state is unknown: " + e;
        }
        return " executors " + waiting + " were not started in time (" + YarnKeys.REGISTRATION_TIMEOUT_MS + ")." + state;
    }

    @Override
    public void stopExecutors(long graceMs) {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
        if (monitor != null) {
            monitor.interrupt();
            try {
                monitor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (yarn != null) {
            if (submitted) {
                awaitFinish();
            }
            yarn.stop();
        }
        if (submission != null) {
            submission.deleteStaging();
        }
    }

    /** Waits for the application master to finish (it does once the driver's server closed); kills it after a while. */
    private void awaitFinish() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINISH_WAIT_MS);
        try {
            while (System.nanoTime() - deadline < 0) {
                ApplicationReport r = yarn.getApplicationReport(appId);
                YarnApplicationState s = r.getYarnApplicationState();
                if (s == YarnApplicationState.FINISHED || s == YarnApplicationState.FAILED || s == YarnApplicationState.KILLED) {
                    LOG.info("YARN application {} ended: {} ({})", appId, s, r.getFinalApplicationStatus());
                    return;
                }
                if (s == YarnApplicationState.NEW || s == YarnApplicationState.NEW_SAVING || s == YarnApplicationState.SUBMITTED
                        || s == YarnApplicationState.ACCEPTED) {
                    break; // its master never ran: nothing would end it
                }
                Thread.sleep(POLL_MS);
            }
            LOG.warn("YARN application {} did not finish after its driver stopped; killing it", appId);
            yarn.killApplication(appId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (YarnException | IOException e) {
            LOG.warn("Could not end YARN application {}: {}", appId, e.toString());
        }
    }
}
