package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.DriverLink;
import dev.kindling.internal.cluster.ExecutorLauncher;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of Kindling's YARN application master in client mode, started in a container by
 * {@link YarnLauncher}. It registers with the ResourceManager, asks for N containers of the executors'
 * cores and memory (heap + overhead), starts {@code ExecutorProcess} in each (the staged jars as local
 * resources; the driver's address and the application secret in the container's environment), and
 * asks for a replacement when one fails, up to {@value YarnKeys#MAX_EXECUTOR_FAILURES}, after which it
 * fails the application. It keeps an authenticated connection to its driver and, once that closes (the
 * driver's context closed, or its process died), stops the containers and unregisters: FINISHED.
 */
public final class ApplicationMaster {

    /** Environment: the executors' environment (settings and secret), Base64 of {@code name\0value\0} pairs. */
    static final String ENV_EXECUTOR_ENV = "KINDLING_YARN_EXECUTOR_ENV";
    /** Environment: the staged files, as {@link StagedFiles#encode()} lines. */
    static final String ENV_RESOURCES = "KINDLING_YARN_RESOURCES";
    /** Environment: the containers' class path. */
    static final String ENV_CLASS_PATH = "KINDLING_YARN_CLASS_PATH";
    /** Environment: {@code executors,cores,heapMb,overheadMb,maxFailures}. */
    static final String ENV_SETTINGS = "KINDLING_YARN_SETTINGS";
    /** An executor's scratch directory: in its container's working directory, which YARN deletes. */
    static final String EXECUTOR_DIR = ApplicationConstants.Environment.PWD.$$() + "/kindling-executor";

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);
    private static final long LOOP_MS = 300;
    private static final long FINISH_LIMIT_MS = 60_000;
    private static final Priority PRIORITY = Priority.newInstance(1);

    private final Map<String, String> executorEnv;
    private final Map<String, LocalResource> resources;
    private final String classPath;
    private final String[] settings;
    private final Resource capability;
    private final int maxFailures;
    private final Deque<String> wanted = new ArrayDeque<>();
    private final List<ContainerRequest> outstanding = new ArrayList<>();
    private final Map<ContainerId, String> running = new HashMap<>();
    private AMRMClient<ContainerRequest> rm;
    private NMClient nm;
    private int nextId;
    private int failures;

    private ApplicationMaster(Map<String, String> env) {
        this.executorEnv = ContainerEnv.decodeEnv(required(env, ENV_EXECUTOR_ENV));
        this.resources = StagedFiles.decode(required(env, ENV_RESOURCES));
        this.classPath = required(env, ENV_CLASS_PATH);
        this.settings = required(env, ENV_SETTINGS).split(",");
        int executors = Integer.parseInt(settings[0]);
        this.capability = Resource.newInstance(Integer.parseInt(settings[2]) + Integer.parseInt(settings[3]),
                Integer.parseInt(settings[1]));
        this.maxFailures = Integer.parseInt(settings[4]);
        for (int i = 0; i < executors; i++) {
            wanted.add(Integer.toString(i));
        }
        this.nextId = executors;
    }

    /** Runs the application master from the environment its client set; exits 0 when it unregistered, else 1. */
    public static void main(String[] args) {
        int status = 1;
        try {
            status = new ApplicationMaster(System.getenv()).run();
        } catch (Throwable t) {
            LOG.error("The Kindling application master failed: {}", t.toString(), t);
        }
        System.exit(status);
    }

    private int run() throws Exception {
        YarnConfiguration conf = new YarnConfiguration(); // the client's, staged as core-site.xml in the working directory
        conf.addResource(new org.apache.hadoop.fs.Path(Path.of(StagedFiles.HADOOP_CONF).toAbsolutePath().toUri()));
        rm = AMRMClient.createAMRMClient();
        rm.init(conf);
        rm.start();
        nm = NMClient.createNMClient();
        nm.init(conf);
        nm.start();
        String host = System.getenv().getOrDefault(ApplicationConstants.Environment.NM_HOST.name(), "");
        rm.registerApplicationMaster(host, 0, "");
        FinalApplicationStatus status = FinalApplicationStatus.FAILED;
        String message;
        try (DriverLink driver = DriverLink.connect(executorEnv)) {
            LOG.info("Connected to the driver at {}; asking for {} executor container(s) of {}", driver.address(),
                    wanted.size(), capability);
            for (int i = 0; i < wanted.size(); i++) {
                request();
            }
            message = loop(driver);
            if (message == null) {
                status = FinalApplicationStatus.SUCCEEDED;
                message = "the driver at " + driver.address() + " stopped";
            }
        } catch (Exception e) {
            message = "the application master failed: " + e;
            LOG.error(message, e);
        }
        // A ResourceManager that is gone too (a test's mini cluster stopped with its driver) would make the
        // calls below retry for many minutes: the master exits after a minute whatever they do.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(FINISH_LIMIT_MS);
                LOG.error("Could not unregister within {} ms; exiting", FINISH_LIMIT_MS);
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "kindling-am-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        nm.stop(); // stops the containers still running
        LOG.info("Unregistering: {} ({})", status, message);
        rm.unregisterApplicationMaster(status, message, null);
        rm.stop();
        return 0;
    }

    /** Allocates, launches and replaces containers until the driver's connection closes (null) or too many failed (why). */
    private String loop(DriverLink driver) throws Exception {
        while (driver.isActive()) {
            AllocateResponse response = rm.allocate(0.5f);
            for (Container c : response.getAllocatedContainers()) {
                if (wanted.isEmpty() || outstanding.isEmpty()) {
                    rm.releaseAssignedContainer(c.getId());
                    continue;
                }
                rm.removeContainerRequest(outstanding.remove(0));
                String id = wanted.poll();
                launch(c, id);
            }
            for (ContainerStatus s : response.getCompletedContainersStatuses()) {
                String id = running.remove(s.getContainerId());
                if (id == null || s.getExitStatus() == 0 || !driver.isActive()) {
                    continue; // stopped by the driver, or the driver is gone
                }
                failures++;
                LOG.warn("Executor {} in container {} ended with status {}: {} ({} of {} failures allowed)", id,
                        s.getContainerId(), s.getExitStatus(), s.getDiagnostics(), failures, maxFailures);
                if (failures > maxFailures) {
                    return failures + " executor containers failed, more than " + YarnKeys.MAX_EXECUTOR_FAILURES + "="
                            + maxFailures + "; the last, executor " + id + ", ended with status " + s.getExitStatus() + ": "
                            + s.getDiagnostics();
                }
                wanted.add(Integer.toString(nextId++));
                request();
            }
            Thread.sleep(LOOP_MS);
        }
        return null;
    }

    private void request() {
        ContainerRequest r = new ContainerRequest(capability, null, null, PRIORITY);
        rm.addContainerRequest(r);
        outstanding.add(r);
    }

    private void launch(Container c, String executorId) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        executorEnv.forEach((k, v) -> env.put(k, ContainerEnv.shellQuoted(v)));
        env.put(ExecutorLauncher.EXECUTOR_ID_VARIABLE, ContainerEnv.shellQuoted(executorId));
        String cmd = "mkdir -p kindling-executor && " + command(Integer.parseInt(settings[2]), classPath,
                "dev.kindling.internal.cluster.ExecutorProcess");
        ContainerLaunchContext ctx = ContainerLaunchContext.newInstance(resources, env, List.of(cmd), null, null, null);
        running.put(c.getId(), executorId);
        LOG.info("Starting executor {} in container {} on {}", executorId, c.getId(), c.getNodeId());
        nm.startContainer(c, ctx);
    }

    /** The command of a container running {@code mainClass} with {@code heapMb} of heap and the staged class path. */
    static String command(int heapMb, String classPath, String mainClass) {
        String javaHome = "${JAVA_HOME:-" + javaHomeFallback() + "}";
        return javaHome + "/bin/java -Xmx" + heapMb + "m -XX:+ExitOnOutOfMemoryError -cp " + classPath + " " + mainClass
                + " 1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout 2>"
                + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr";
    }

    /** The Java installation containers use where their node sets no JAVA_HOME: this JVM's. */
    static String javaHomeFallback() {
        return System.getProperty("java.home");
    }

    /** The value of {@value #ENV_SETTINGS}. */
    static String encodeSettings(int executors, int cores, int heapMb, int overheadMb, int maxFailures) {
        return executors + "," + cores + "," + heapMb + "," + overheadMb + "," + maxFailures;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("The environment variable " + name + " is not set: the application master is"
                    + " started by a Kindling driver with --master yarn, not by hand");
        }
        return value;
    }
}
