package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.DriverLink;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
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

    private final ContainerAllocator.Group group;

    private ApplicationMaster(Map<String, String> env) {
        this.group = group(env, ContainerEnv.decodeEnv(required(env, ENV_EXECUTOR_ENV)));
    }

    /** The executors that the environment {@code env} of an application master asks for, with {@code executorEnv}. */
    static ContainerAllocator.Group group(Map<String, String> env, Map<String, String> executorEnv) {
        String[] settings = required(env, ENV_SETTINGS).split(",");
        int heapMb = Integer.parseInt(settings[2]);
        Resource capability = Resource.newInstance(heapMb + Integer.parseInt(settings[3]), Integer.parseInt(settings[1]));
        return new ContainerAllocator.Group(executorEnv, StagedFiles.decode(required(env, ENV_RESOURCES)),
                required(env, ENV_CLASS_PATH), Integer.parseInt(settings[0]), heapMb, capability,
                Integer.parseInt(settings[4]));
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
        Clients clients = Clients.register();
        FinalApplicationStatus status = FinalApplicationStatus.FAILED;
        String message;
        try (DriverLink driver = DriverLink.connect(group.executorEnv())) {
            LOG.info("Connected to the driver at {}", driver.address());
            ContainerAllocator allocator = new ContainerAllocator(clients.rm(), clients.nm());
            allocator.begin(group, (id, why) -> { });
            message = null;
            while (driver.isActive() && message == null) {
                message = allocator.step(0.5f);
                Thread.sleep(LOOP_MS);
            }
            if (message == null) {
                status = FinalApplicationStatus.SUCCEEDED;
                message = "the driver at " + driver.address() + " stopped";
            }
        } catch (Exception e) {
            message = "the application master failed: " + e;
            LOG.error(message, e);
        }
        clients.unregister(status, message);
        return 0;
    }

    /** The ResourceManager and NodeManager clients of a registered application master. */
    record Clients(AMRMClient<ContainerRequest> rm, NMClient nm) {

        /** Starts both clients with the staged Hadoop configuration and registers this container as the master. */
        static Clients register() throws Exception {
            YarnConfiguration conf = new YarnConfiguration(); // the client's, staged as core-site.xml in the working directory
            conf.addResource(new org.apache.hadoop.fs.Path(Path.of(StagedFiles.HADOOP_CONF).toAbsolutePath().toUri()));
            AMRMClient<ContainerRequest> rm = AMRMClient.createAMRMClient();
            rm.init(conf);
            rm.start();
            NMClient nm = NMClient.createNMClient();
            nm.init(conf);
            nm.start();
            rm.registerApplicationMaster(nodeHost(), 0, "");
            return new Clients(rm, nm);
        }

        /**
         * Stops the containers still running and unregisters with {@code status} and {@code message}. A
         * ResourceManager that is gone too (a test's mini cluster stopped with its driver) would make these
         * calls retry for many minutes: the process halts after a minute whatever they do.
         */
        void unregister(FinalApplicationStatus status, String message) throws Exception {
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
            watchdog.interrupt();
        }
    }

    /** The host of this container's NodeManager, or "" outside a container. */
    static String nodeHost() {
        return System.getenv().getOrDefault(ApplicationConstants.Environment.NM_HOST.name(), "");
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

    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("The environment variable " + name + " is not set: the application master is"
                    + " started by a Kindling driver with --master yarn, not by hand");
        }
        return value;
    }
}
