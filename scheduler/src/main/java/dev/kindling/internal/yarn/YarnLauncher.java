package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.ExecutorLauncher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
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
public final class YarnLauncher implements ExecutorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(YarnLauncher.class);
    /** How long close() waits for the application master to finish after the driver stopped. */
    private static final long FINISH_WAIT_MS = 30_000;
    private static final long POLL_MS = 500;

    private final Map<String, String> conf;
    private final int executors;
    private final int cores;
    private final int maxFailures;
    private final Set<String> ids = new LinkedHashSet<>();
    private volatile String failure;
    private volatile boolean closing;
    private YarnClient yarn;
    private FileSystem fs;
    private org.apache.hadoop.fs.Path stagingDir;
    private ApplicationId appId;
    private volatile boolean submitted;
    private Thread monitor;

    /** A launcher for the executors that {@code conf} (the application's configuration) asks for. */
    public YarnLauncher(Map<String, String> conf) {
        this.conf = Map.copyOf(conf);
        this.executors = YarnKeys.instances(conf);
        this.cores = YarnKeys.cores(conf);
        this.maxFailures = YarnKeys.maxExecutorFailures(conf);
        YarnKeys.memoryMb(conf); // checked before anything starts
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

    /** Loads a YARN configuration: fails with a {@link LinkageError} unless Hadoop's client runtime is on the class path. */
    public static void checkUsable() {
        new YarnConfiguration().get(YarnConfiguration.RM_ADDRESS);
    }

    /** Sets {@code key} unless a file other than Hadoop's own defaults (or a kindling.hadoop.* key) set it. */
    private static void setUnlessConfigured(org.apache.hadoop.conf.Configuration conf, String key, String value) {
        String[] sources = conf.getPropertySources(key);
        if (sources == null || Arrays.stream(sources).allMatch(s -> s.endsWith("-default.xml"))) {
            conf.set(key, value);
        }
    }

    /** The application's id once submitted, else null. */
    public ApplicationId applicationId() {
        return appId;
    }

    @Override
    public int executors() {
        return executors;
    }

    @Override
    public int coresPerExecutor() {
        return cores;
    }

    @Override
    public long registrationTimeoutMs(long networkTimeoutMs) {
        return YarnKeys.registrationTimeoutMs(conf);
    }

    @Override
    public void start(Spec spec, Events events) throws IOException {
        YarnConfiguration hadoop = hadoopConf(conf);
        String rm = hadoop.get(YarnConfiguration.RM_ADDRESS, YarnConfiguration.DEFAULT_RM_ADDRESS);
        // The client fails fast on an unreachable ResourceManager instead of Hadoop's default retries for
        // 15 minutes, unless the cluster's files say otherwise (the application master keeps the defaults).
        YarnConfiguration client = new YarnConfiguration(hadoop);
        setUnlessConfigured(client, "yarn.resourcemanager.connect.max-wait.ms", "10000");
        setUnlessConfigured(client, "yarn.resourcemanager.connect.retry-interval.ms", "1000");
        setUnlessConfigured(client, "ipc.client.connect.max.retries", "1");
        yarn = YarnClient.createYarnClient();
        yarn.init(client);
        yarn.start();
        YarnClientApplication app;
        try {
            app = yarn.createApplication();
        } catch (YarnException | IOException e) {
            throw new IOException("Cannot reach the YARN ResourceManager at " + rm + " (" + YarnConfiguration.RM_ADDRESS
                    + ", from HADOOP_CONF_DIR's yarn-site.xml or " + YarnKeys.HADOOP_PREFIX + YarnConfiguration.RM_ADDRESS
                    + "): " + e.getMessage(), e);
        }
        ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
        appId = context.getApplicationId();
        String queue = conf.getOrDefault(YarnKeys.QUEUE, "default");
        checkQueue(queue);
        fs = FileSystem.get(hadoop);
        stagingDir = fs.makeQualified(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging/" + appId));
        Path scratch = Files.createDirectories(spec.localDir().resolve("yarn-staging"));
        Path confFile = scratch.resolve(StagedFiles.HADOOP_CONF);
        try (OutputStream out = Files.newOutputStream(confFile)) {
            hadoop.writeXml(out);
        }
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator));
        StagedFiles staged = StagedFiles.upload(fs, stagingDir, classPath, confFile, scratch);
        LOG.info("Staged {} files for {} in {}", staged.resources().size(), appId, stagingDir);

        Map<String, String> executorEnv = spec.environment("0", ApplicationMaster.EXECUTOR_DIR);
        Map<String, String> amEnv = new HashMap<>();
        amEnv.put(ApplicationMaster.ENV_EXECUTOR_ENV, ContainerEnv.encodeEnv(executorEnv));
        amEnv.put(ApplicationMaster.ENV_RESOURCES, staged.encode());
        amEnv.put(ApplicationMaster.ENV_CLASS_PATH, staged.classPath());
        amEnv.put(ApplicationMaster.ENV_SETTINGS, ApplicationMaster.encodeSettings(executors, cores, YarnKeys.memoryMb(conf),
                YarnKeys.overheadMb(conf, YarnKeys.memoryMb(conf)), maxFailures));
        amEnv.replaceAll((k, v) -> ContainerEnv.shellQuoted(v));
        int amHeap = YarnKeys.amMemoryMb(conf);
        ContainerLaunchContext am = ContainerLaunchContext.newInstance(staged.resources(), amEnv,
                List.of(ApplicationMaster.command(amHeap, staged.classPath(), ApplicationMaster.class.getName())), null, null, null);
        context.setApplicationName(conf.getOrDefault(YarnKeys.APP_NAME, "kindling"));
        context.setQueue(queue);
        context.setApplicationType("KINDLING");
        String tags = conf.getOrDefault(YarnKeys.TAGS, "");
        if (!tags.isBlank()) {
            Set<String> set = new LinkedHashSet<>();
            for (String t : tags.split(",")) {
                if (!t.isBlank()) {
                    set.add(t.strip());
                }
            }
            context.setApplicationTags(set);
        }
        context.setMaxAppAttempts(1); // a second attempt would start executors this driver already saw
        context.setResource(Resource.newInstance(amHeap + YarnKeys.overheadMb(conf, amHeap), 1));
        context.setAMContainerSpec(am);
        for (int i = 0; i < executors; i++) {
            String id = Integer.toString(i);
            ids.add(id);
            events.expect(id);
            events.started(id, -1);
        }
        for (int i = executors; i < executors + maxFailures; i++) {
            String id = Integer.toString(i);
            ids.add(id);
            events.expectReplacement(id);
        }
        try {
            yarn.submitApplication(context);
            submitted = true;
        } catch (YarnException e) {
            throw new IOException("YARN refused application " + appId + " (queue \"" + queue + "\", " + YarnKeys.QUEUE
                    + "): " + e.getMessage(), e);
        }
        LOG.info("Submitted {} to YARN (queue {}): {} executor(s) of {} core(s) and {} MiB + {} MiB overhead", appId, queue,
                executors, cores, YarnKeys.memoryMb(conf), YarnKeys.overheadMb(conf, YarnKeys.memoryMb(conf)));
        monitor = new Thread(() -> watch(events), "kindling-yarn-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    /**
     * Fails at once for a queue the ResourceManager does not know. Asked by name (the FIFO scheduler
     * answers with its only queue, "default", whatever the name), then listed for the message.
     */
    private void checkQueue(String queue) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        try {
            QueueInfo info = yarn.getQueueInfo(queue);
            if (info != null && (queue.equals(info.getQueueName()) || queue.equals(info.getQueuePath()))) {
                return;
            }
            if (info != null) {
                names.add(info.getQueueName());
            }
        } catch (YarnException | IOException | RuntimeException e) { // the FIFO scheduler fails on some unknown names
            LOG.debug("YARN does not know queue {}: {}", queue, e.toString());
        }
        try {
            for (QueueInfo q : yarn.getAllQueues()) {
                names.add(q.getQueueName());
            }
        } catch (YarnException | RuntimeException e) {
            LOG.debug("Could not list the YARN queues: {}", e.toString());
        }
        throw new IOException("The YARN queue \"" + queue + "\" does not exist (" + YarnKeys.QUEUE + "); "
                + (names.isEmpty() ? "the ResourceManager did not list its queues" : "queues: " + names));
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
                    failure = "The YARN application " + appId + " ended (" + state + "): "
                            + (report.getDiagnostics() == null || report.getDiagnostics().isBlank() ? "no diagnostics"
                            : report.getDiagnostics().strip());
                    LOG.error(failure);
                    for (String id : ids) {
                        events.ended(id, failure);
                    }
                    events.unavailable(failure);
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
    public String startFailure(Collection<String> waiting) {
        return failure;
    }

    @Override
    public String unavailable() {
        return failure;
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
    public void kill(String executorId) {
        // The application master sees the container end and asks for a replacement.
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
        if (fs != null && stagingDir != null) {
            try {
                fs.delete(stagingDir, true);
            } catch (IOException e) {
                LOG.warn("Could not delete the staging directory {}: {}", stagingDir, e.toString());
            }
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
