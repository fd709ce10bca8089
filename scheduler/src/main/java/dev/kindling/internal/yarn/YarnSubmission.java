package dev.kindling.internal.yarn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One YARN application on its way in, shared by client mode ({@link YarnLauncher}) and cluster mode
 * ({@link ClusterSubmitter}): a {@link YarnClient} that fails fast on an unreachable ResourceManager,
 * the new application's id, the queue checked, the files staged in
 * {@code .kindling-staging/<application id>} under the default file system's home directory, and the
 * submission (name, queue, tags, one attempt, the application master's container).
 */
final class YarnSubmission implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(YarnSubmission.class);

    private final Map<String, String> conf;
    private final YarnConfiguration hadoop;
    private final YarnClient yarn;
    private final YarnClientApplication app;
    private final ApplicationId appId;
    private final String queue;
    private FileSystem fs;
    private org.apache.hadoop.fs.Path stagingDir;

    private YarnSubmission(Map<String, String> conf, YarnConfiguration hadoop, YarnClient yarn, YarnClientApplication app) {
        this.conf = conf;
        this.hadoop = hadoop;
        this.yarn = yarn;
        this.app = app;
        this.appId = app.getApplicationSubmissionContext().getApplicationId();
        this.queue = conf.getOrDefault(YarnKeys.QUEUE, "default");
    }

    /**
     * Asks the ResourceManager that {@code conf} names (its {@value YarnKeys#HADOOP_PREFIX} keys over
     * HADOOP_CONF_DIR's files) for a new application and checks the queue.
     *
     * @throws IOException naming the ResourceManager's address when it cannot be reached, or the queue
     *     and the queues there are when it does not exist
     */
    static YarnSubmission create(Map<String, String> conf) throws IOException {
        YarnConfiguration hadoop = YarnLauncher.hadoopConf(conf);
        String rm = hadoop.get(YarnConfiguration.RM_ADDRESS, YarnConfiguration.DEFAULT_RM_ADDRESS);
        // The client fails fast on an unreachable ResourceManager instead of Hadoop's default retries for
        // 15 minutes, unless the cluster's files say otherwise (the application master keeps the defaults).
        YarnConfiguration client = new YarnConfiguration(hadoop);
        setUnlessConfigured(client, "yarn.resourcemanager.connect.max-wait.ms", "10000");
        setUnlessConfigured(client, "yarn.resourcemanager.connect.retry-interval.ms", "1000");
        setUnlessConfigured(client, "ipc.client.connect.max.retries", "1");
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(client);
        yarn.start();
        YarnSubmission submission;
        try {
            submission = new YarnSubmission(conf, hadoop, yarn, yarn.createApplication());
        } catch (YarnException | IOException e) {
            yarn.stop();
            throw new IOException("Cannot reach the YARN ResourceManager at " + rm + " (" + YarnConfiguration.RM_ADDRESS
                    + ", from HADOOP_CONF_DIR's yarn-site.xml or " + YarnKeys.HADOOP_PREFIX + YarnConfiguration.RM_ADDRESS
                    + "): " + e.getMessage(), e);
        }
        try {
            submission.checkQueue();
        } catch (IOException | RuntimeException e) {
            yarn.stop();
            throw e;
        }
        return submission;
    }

    /** Sets {@code key} unless a file other than Hadoop's own defaults (or a kindling.hadoop.* key) set it. */
    private static void setUnlessConfigured(org.apache.hadoop.conf.Configuration conf, String key, String value) {
        String[] sources = conf.getPropertySources(key);
        if (sources == null || Arrays.stream(sources).allMatch(s -> s.endsWith("-default.xml"))) {
            conf.set(key, value);
        }
    }

    /** The new application's id. */
    ApplicationId appId() {
        return appId;
    }

    /** The client, started; {@link #close()} stops it. */
    YarnClient client() {
        return yarn;
    }

    /** The staging directory, qualified, once {@link #stage} ran; else null. */
    org.apache.hadoop.fs.Path stagingDir() {
        return stagingDir;
    }

    /**
     * Copies {@code classPath} (jars; directories packed into jars in {@code scratch}) and Hadoop's
     * configuration into the staging directory.
     */
    StagedFiles stage(List<String> classPath, Path scratch) throws IOException {
        fs = FileSystem.get(hadoop);
        stagingDir = fs.makeQualified(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".kindling-staging/" + appId));
        Files.createDirectories(scratch);
        Path confFile = scratch.resolve(StagedFiles.HADOOP_CONF);
        try (OutputStream out = Files.newOutputStream(confFile)) {
            hadoop.writeXml(out);
        }
        StagedFiles staged = StagedFiles.upload(fs, stagingDir, classPath, confFile, scratch);
        LOG.info("Staged {} files for {} in {}", staged.resources().size(), appId, stagingDir);
        return staged;
    }

    /**
     * Submits the application: its master runs {@code mainClass} with {@code heapMb} of heap (the
     * container gets {@code overheadMb} more), the staged files and {@code env} (values as they are:
     * escaped here for the launch script).
     */
    void submit(StagedFiles staged, Map<String, String> env, String mainClass, int heapMb, int overheadMb)
            throws IOException {
        Map<String, String> quoted = new java.util.HashMap<>(env);
        quoted.replaceAll((k, v) -> ContainerEnv.shellQuoted(v));
        ContainerLaunchContext am = ContainerLaunchContext.newInstance(staged.resources(), quoted,
                List.of(ApplicationMaster.command(heapMb, staged.classPath(), mainClass)), null, null, null);
        ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
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
        context.setMaxAppAttempts(1); // a second attempt would start executors (or a driver) that already ran once
        context.setResource(Resource.newInstance(heapMb + overheadMb, 1));
        context.setAMContainerSpec(am);
        try {
            yarn.submitApplication(context);
        } catch (YarnException e) {
            throw new IOException("YARN refused application " + appId + " (queue \"" + queue + "\", " + YarnKeys.QUEUE
                    + "): " + e.getMessage(), e);
        }
        LOG.info("Submitted {} to YARN (queue {}), its master with {} MiB + {} MiB overhead", appId, queue, heapMb,
                overheadMb);
    }

    /** The queue the application goes to. */
    String queue() {
        return queue;
    }

    /**
     * Fails at once for a queue the ResourceManager does not know. Asked by name (the FIFO scheduler
     * answers with its only queue, "default", whatever the name), then listed for the message.
     */
    private void checkQueue() throws IOException {
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

    /** Deletes the staging directory, if one was made. */
    void deleteStaging() {
        if (fs != null && stagingDir != null) {
            deleteStaging(fs, stagingDir);
        }
    }

    /** Deletes {@code dir} on {@code fs}, logging (not throwing) a failure. */
    static void deleteStaging(FileSystem fs, org.apache.hadoop.fs.Path dir) {
        try {
            fs.delete(dir, true);
        } catch (IOException e) {
            LOG.warn("Could not delete the staging directory {}: {}", dir, e.toString());
        }
    }

    /** Stops the client. */
    @Override
    public void close() {
        yarn.stop();
    }
}
