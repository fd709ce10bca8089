package dev.kindling.internal.cluster;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import dev.kindling.internal.network.TransportServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of an executor process, started by a driver as
 * {@code java -Xmx<M>m -cp <driver's class path> dev.kindling.internal.cluster.ExecutorProcess} with
 * {@link ExecutorSettings} and the application secret in its environment. Its life:
 * <ol>
 *   <li>starts its own {@link TransportServer} (loopback unless {@code kindling.executor.host}) for the
 *       driver's task messages and other executors' block fetches;</li>
 *   <li>connects to the driver, registers (id, host, port, cores, pid) and gets the application's
 *       configuration back;</li>
 *   <li>makes its {@link TaskSink} with a loader that fetches missing classes from the driver;</li>
 *   <li>sends a heartbeat every {@code kindling.executor.heartbeatIntervalMs} and watches the driver
 *       connection;</li>
 *   <li>exits with status 0 on StopExecutor, or with {@value #DRIVER_LOST} as soon as the driver
 *       connection closes or a heartbeat fails (the driver was killed, or no longer knows it), or
 *       with 1 if it cannot start or fails; in both cases after deleting its scratch directory, which no
 *       driver may be left to delete.</li>
 * </ol>
 * It exits through {@link System#exit}, so task threads that ignore interruption cannot keep it alive.
 */
public final class ExecutorProcess {

    /** Exit status when the driver is gone. */
    public static final int DRIVER_LOST = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorProcess.class);
    /** How often the driver connection is looked at between heartbeats. */
    private static final long WATCH_MS = 100;

    private ExecutorProcess() {
    }

    /** Runs an executor from the environment its driver set; never returns (exits the JVM). */
    public static void main(String[] args) {
        int status;
        ExecutorSettings settings = null;
        try {
            settings = ExecutorSettings.fromEnvironment(System.getenv());
            status = run(settings, AppSecret.fromEnvironment());
        } catch (Throwable t) {
            LOG.error("Executor {} failed: {}", System.getenv(ExecutorSettings.EXECUTOR_ID), t.toString(), t);
            status = 1;
        }
        if (status != 0 && settings != null) {
            deleteScratch(settings); // the driver may be gone, and then no one else would
        }
        System.exit(status);
    }

    private static int run(ExecutorSettings settings, AppSecret secret) throws Exception {
        NetworkConfig net = NetworkConfig.fromMap(settings.conf(), ClusterKeys.EXECUTOR_HOST);
        ExecutorEndpoint endpoint = new ExecutorEndpoint(net.timeoutMs());
        TaskSink.Factory factory = sinkFactory(settings.taskSink()); // a bad name fails before registering
        try (TransportServer server = TransportServer.start(net, secret, 0, settings.cores() + 1, endpoint, endpoint::openBlock);
             TransportClientFactory clients = TransportClientFactory.create(net, secret)) {
            TransportClient driver = clients.connect(settings.driverAddress());
            InetSocketAddress own = server.address();
            // The configured host as given (a node's name matches HDFS block hosts), else the bound address.
            String configured = settings.conf().getOrDefault(ClusterKeys.EXECUTOR_HOST, "").trim();
            String host = configured.isEmpty() ? own.getAddress().getHostAddress() : configured;
            byte[] reply = driver.requestAndWait(new ClusterMessage.RegisterExecutor(settings.executorId(),
                    host, own.getPort(), settings.cores(), ProcessHandle.current().pid()).encode());
            ClusterMessage.Registered registered = ClusterMessage.decode(reply, ClusterMessage.Registered.class);
            long interval = ClusterKeys.heartbeatIntervalMs(registered.conf());
            ExecutorContext context = new ExecutorContext(settings.executorId(), settings.cores(), settings.scratchDir(),
                    registered.conf(), new RemoteClassLoader(driver, ExecutorProcess.class.getClassLoader()), driver,
                    new PeerClients(clients), own);
            try (TaskSink sink = factory.create(context)) {
                endpoint.attach(sink);
                LOG.info("Executor {} registered with the driver at {}; serving on {}", settings.executorId(),
                        settings.driverAddress(), own);
                String lost = heartbeatUntilStopped(settings.executorId(), driver, endpoint, sink, interval, net.timeoutMs());
                if (lost == null) {
                    LOG.info("Executor {} stopped by the driver", settings.executorId());
                    return 0;
                }
                LOG.warn("Executor {} exits: {}", settings.executorId(), lost);
            }
        }
        return DRIVER_LOST;
    }

    private static void deleteScratch(ExecutorSettings settings) {
        try {
            FileTrees.delete(settings.scratchDir());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the scratch directory {}: {}", settings.scratchDir(), e.toString());
        }
    }

    private static TaskSink.Factory sinkFactory(String className) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className, true, ExecutorProcess.class.getClassLoader());
        if (!TaskSink.Factory.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("The task sink factory " + className + " does not implement "
                    + TaskSink.Factory.class.getName());
        }
        return c.asSubclass(TaskSink.Factory.class).getConstructor().newInstance();
    }

    /** Heartbeats until StopExecutor (null) or the driver is lost (why). */
    private static String heartbeatUntilStopped(String executorId, TransportClient driver, ExecutorEndpoint endpoint,
                                                TaskSink sink, long intervalMs, long timeoutMs) throws InterruptedException {
        long next = System.nanoTime();
        while (true) {
            long waitMs = Math.max(0, Math.min(WATCH_MS, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            if (endpoint.awaitStop(waitMs)) {
                return null;
            }
            if (!driver.isActive()) {
                return "the connection to the driver at " + driver.remoteAddress() + " closed (the driver stopped or was killed)";
            }
            if (System.nanoTime() - next >= 0) {
                try {
                    driver.request(new ClusterMessage.Heartbeat(executorId, sink.heartbeatMetrics()).encode(), timeoutMs)
                            .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    if (endpoint.awaitStop(0)) {
                        return null; // the driver closed the connection after asking us to stop
                    }
                    return "a heartbeat to the driver at " + driver.remoteAddress() + " failed: " + e;
                }
                next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMs);
            }
        }
    }
}
