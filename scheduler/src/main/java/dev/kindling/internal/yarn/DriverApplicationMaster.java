package dev.kindling.internal.yarn;

import dev.kindling.internal.cluster.ClusterKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of the application master of {@code --deploy-mode cluster}, started in a container by
 * {@link ClusterSubmitter}: the user's driver runs in this JVM.
 *
 * <ol>
 *   <li>Registers with the ResourceManager and starts a heartbeat thread (one {@link ContainerAllocator}
 *       step every {@value #LOOP_MS} ms, so the application stays alive while the driver does other work).</li>
 *   <li>Sets the submitted {@code kindling.*} settings as system properties ({@code kindling.driver.host}
 *       defaults to this container's node), then calls the user's {@code main} with its arguments (all
 *       from the container's environment, never its command line); the application's jars are on the
 *       container's class path.</li>
 *   <li>A {@code KindlingContext} built with {@code --master yarn} in this JVM finds this master through
 *       {@link #current()} and gets its executors from this application's containers
 *       ({@link ClusterModeLauncher}), never from a second application.</li>
 *   <li>When {@code main} returns the master unregisters {@code SUCCEEDED}; when it throws, {@code FAILED}
 *       with the exception and its causes as the diagnostics. Then it stops what is left and deletes the
 *       application's staging directory.</li>
 * </ol>
 * A {@code main} that calls {@code System.exit} ends the JVM before it unregisters: YARN then reports the
 * application FAILED with the container's exit status.
 */
public final class DriverApplicationMaster {

    /** Environment: the submitted {@code kindling.*} settings, as {@link ContainerEnv#encodeEnv}. */
    static final String ENV_DRIVER_CONF = "KINDLING_YARN_DRIVER_CONF";
    /** Environment: the user's main class. */
    static final String ENV_MAIN_CLASS = "KINDLING_YARN_MAIN_CLASS";
    /** Environment: the arguments of the user's main, as {@link ContainerEnv#encodeEnv} of index to value. */
    static final String ENV_ARGS = "KINDLING_YARN_ARGS";
    /** Environment: the staging directory's URI, deleted when the application ends. */
    static final String ENV_STAGING_DIR = "KINDLING_YARN_STAGING_DIR";
    /** The longest diagnostics message sent to the ResourceManager. */
    static final int MAX_DIAGNOSTICS = 8_000;

    private static final Logger LOG = LoggerFactory.getLogger(DriverApplicationMaster.class);
    private static final long LOOP_MS = 300;
    /** The master running in this JVM, if any: looked up by a driver's context only, never by a task. */
    private static volatile DriverApplicationMaster current;

    private final Map<String, String> env;
    private final Map<String, LocalResource> resources;
    private final String classPath;
    private ContainerAllocator allocator;
    private volatile ClusterModeLauncher active;
    private volatile boolean stopping;

    private DriverApplicationMaster(Map<String, String> env) {
        this.env = env;
        this.resources = StagedFiles.decode(ApplicationMaster.required(env, ApplicationMaster.ENV_RESOURCES));
        this.classPath = ApplicationMaster.required(env, ApplicationMaster.ENV_CLASS_PATH);
    }

    /** The cluster-mode application master running in this JVM, or null in any other process. */
    static DriverApplicationMaster current() {
        return current;
    }

    /** Runs the application master and the user's driver from the environment set by the submitter; exits 0 once unregistered. */
    public static void main(String[] args) {
        int status = 1;
        try {
            status = new DriverApplicationMaster(System.getenv()).run();
        } catch (Throwable t) {
            LOG.error("The Kindling application master failed: {}", t.toString(), t);
        }
        System.exit(status);
    }

    private int run() throws Exception {
        ApplicationMaster.Clients clients = ApplicationMaster.Clients.register();
        allocator = new ContainerAllocator(clients.rm(), clients.nm());
        Thread heartbeat = new Thread(this::heartbeat, "kindling-am-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        current = this;
        String mainClass = ApplicationMaster.required(env, ENV_MAIN_CLASS);
        FinalApplicationStatus status = FinalApplicationStatus.FAILED;
        String message;
        try {
            runMain(mainClass);
            status = FinalApplicationStatus.SUCCEEDED;
            message = "The main method of " + mainClass + " returned";
        } catch (InvocationTargetException e) {
            message = "User class " + mainClass + " threw " + causes(e.getCause());
            LOG.error(message, e.getCause());
        } catch (Exception | LinkageError e) {
            message = "Could not run the main method of " + mainClass + ": " + causes(e);
            LOG.error(message, e);
        } finally {
            current = null;
            stopping = true;
            heartbeat.interrupt();
            heartbeat.join(5_000);
        }
        allocator.end(); // a context the user did not close
        clients.unregister(status, message.length() > MAX_DIAGNOSTICS ? message.substring(0, MAX_DIAGNOSTICS) : message);
        deleteStaging();
        return 0;
    }

    /** Sets the submitted settings as system properties and calls {@code mainClass}'s main with the submitted arguments. */
    private void runMain(String mainClass) throws Exception {
        Map<String, String> conf = ContainerEnv.decodeEnv(ApplicationMaster.required(env, ENV_DRIVER_CONF));
        conf.forEach(System::setProperty);
        String host = ApplicationMaster.nodeHost();
        if (!conf.containsKey(ClusterKeys.DRIVER_HOST) && !host.isEmpty()) {
            System.setProperty(ClusterKeys.DRIVER_HOST, host); // the executors' nodes must reach the driver
        }
        Map<String, String> encodedArgs = ContainerEnv.decodeEnv(env.getOrDefault(ENV_ARGS, ""));
        List<String> args = new ArrayList<>();
        for (int i = 0; encodedArgs.containsKey(Integer.toString(i)); i++) {
            args.add(encodedArgs.get(Integer.toString(i)));
        }
        ClassLoader loader = ClassLoader.getSystemClassLoader(); // the staged jars, the application's among them
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new NoSuchMethodException(mainClass + ".main(String[]) is not static");
        }
        LOG.info("Running {}.main with {} argument(s)", mainClass, args.size());
        main.invoke(null, (Object) args.toArray(new String[0]));
    }

    /** {@code t} and each of its causes, as "Type: message", joined with "; caused by ". */
    static String causes(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            out.append(out.length() == 0 ? "" : "; caused by ").append(c);
        }
        return out.toString();
    }

    private void heartbeat() {
        while (!stopping) {
            try {
                String failure = allocator.step(0.5f);
                ClusterModeLauncher launcher = active;
                if (failure != null && launcher != null) {
                    allocator.end();
                    launcher.failed(failure);
                }
                Thread.sleep(LOOP_MS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!stopping) {
                    LOG.warn("Heartbeat to the ResourceManager failed: {}", e.toString());
                }
            }
        }
    }

    /** Starts the executors of {@code launcher}'s context: {@code group}'s containers, ended ones reported to it. */
    void begin(ClusterModeLauncher launcher, ContainerAllocator.Group group) {
        allocator.begin(group, launcher::containerEnded);
        active = launcher;
    }

    /** Stops the containers of {@code launcher}'s context (if still the running one). */
    void end(ClusterModeLauncher launcher) {
        if (active == launcher) {
            active = null;
            allocator.end();
        }
    }

    /** The staged files, which executor containers get too. */
    Map<String, LocalResource> resources() {
        return resources;
    }

    /** The containers' class path. */
    String classPath() {
        return classPath;
    }

    private void deleteStaging() {
        String dir = env.get(ENV_STAGING_DIR);
        if (dir == null || dir.isEmpty()) {
            return;
        }
        try {
            YarnConfiguration conf = new YarnConfiguration();
            conf.addResource(new org.apache.hadoop.fs.Path(java.nio.file.Path.of(StagedFiles.HADOOP_CONF).toAbsolutePath().toUri()));
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(dir));
            YarnSubmission.deleteStaging(FileSystem.get(path.toUri(), conf), path);
        } catch (Exception e) {
            LOG.warn("Could not delete the staging directory {}: {}", dir, e.toString());
        }
    }
}
