package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.BlockSource;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.RemoteFailureException;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import dev.kindling.internal.network.TransportServer;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.scheduler.OutputCommitCoordinator;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's handler over a real authenticated connection, without executor processes: class
 * fetches (only binary class names), broadcasts, and registrations and heartbeats of executors the
 * driver did not start.
 */
class DriverEndpointTest {

    private final AppSecret secret = AppSecret.generate();
    private final NetworkConfig config = NetworkConfig.defaults().withTimeoutMs(10_000);
    private final RecordingListener listener = new RecordingListener();
    private TransportClientFactory clients;
    private TransportServer server;
    private TransportClient client;
    private final MapOutputTracker tracker = new MapOutputTracker();
    private final OutputCommitCoordinator commits = new OutputCommitCoordinator();

    @BeforeEach
    void start() throws IOException {
        clients = TransportClientFactory.create(config, secret);
        ExecutorRegistry registry = new ExecutorRegistry(clients, listener, config.timeoutMs());
        BroadcastSource broadcasts = id -> {
            if (id == 5) {
                return new byte[] {5, 5};
            }
            throw new IllegalArgumentException("no broadcast " + id);
        };
        server = TransportServer.start(config, secret, 0, 2, new DriverEndpoint(registry, Map.of("kindling.app.name", "t"),
                ClassSource.of(getClass().getClassLoader()), broadcasts, tracker, commits), BlockSource.NONE);
        client = clients.connect(server.address());
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    private byte[] ask(ClusterMessage m) throws IOException {
        return client.requestAndWait(m.encode());
    }

    @Test
    void aClassIsServedAsTheBytesOfItsClassFileAndAnUnknownOneAsNotFound() throws IOException {
        byte[] expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/kindling/internal/cluster/TestTasks$Reverse.class")) {
            expected = in.readAllBytes();
        }
        byte[] answer = ask(new ClusterMessage.FetchClass(TestTasks.Reverse.class.getName()));
        assertArrayEquals(expected, ClusterMessage.decode(answer, ClusterMessage.ClassBytes.class).bytes());
        assertNull(ClusterMessage.decode(ask(new ClusterMessage.FetchClass("no.such.Thing")), ClusterMessage.ClassBytes.class).bytes());
        // A JShell snippet's class name (REPL.$JShell$11$Foo) is a binary name too: asked for, not refused.
        assertNull(ClusterMessage.decode(ask(new ClusterMessage.FetchClass("REPL.$JShell$11$Foo")), ClusterMessage.ClassBytes.class)
                .bytes());
    }

    @Test
    void namesThatAreNotBinaryClassNamesAreRefusedSoNoOtherResourceCanBeRead() {
        for (String name : new String[] {"../../etc/passwd", "META-INF/MANIFEST.MF", "a..b", "", ".a", "a/b", "a.b.",
                "x".repeat(2_000)}) {
            RemoteFailureException e = assertThrows(RemoteFailureException.class, () -> ask(new ClusterMessage.FetchClass(name)));
            assertTrue(e.getMessage().contains("is not a binary class name"), e.getMessage());
        }
    }

    @Test
    void mapStatusesComeFromTheTrackerWithNullWhereNoOutputIsRegistered() throws IOException {
        MapStatus registered = new MapStatus(new ExecutorLocation("1", "127.0.0.1", 4_321), new long[] {0, 7, 1L << 40});
        tracker.registerMapOutput(3, 2, 1, registered);
        MapStatus[] statuses = ClusterMessage.decode(ask(new ClusterMessage.FetchMapStatuses(3, 2)),
                ClusterMessage.MapStatuses.class).statuses();
        assertArrayEquals(new MapStatus[] {null, registered}, statuses);
        assertEquals(0, ClusterMessage.decode(ask(new ClusterMessage.FetchMapStatuses(9, 0)),
                ClusterMessage.MapStatuses.class).statuses().length);
        assertThrows(RemoteFailureException.class, () -> ask(new ClusterMessage.FetchMapStatuses(3, -1)));
    }

    @Test
    void broadcastsComeFromTheBroadcastSource() throws IOException {
        assertArrayEquals(new byte[] {5, 5},
                ClusterMessage.decode(ask(new ClusterMessage.FetchBroadcast(5)), ClusterMessage.BroadcastBytes.class).bytes());
        RemoteFailureException e = assertThrows(RemoteFailureException.class, () -> ask(new ClusterMessage.FetchBroadcast(6)));
        assertTrue(e.getMessage().contains("no broadcast 6"), e.getMessage());
    }

    @Test
    void outputCommitQuestionsAreAnsweredByTheDriversCoordinator() throws IOException {
        commits.stageStarted(3);
        assertTrue(allowed(new ClusterMessage.CanCommit(3, 0, 1, 0)), "the first attempt to ask commits");
        assertFalse(allowed(new ClusterMessage.CanCommit(3, 0, 1, 1)), "a second attempt of the partition is denied");
        assertTrue(allowed(new ClusterMessage.CanCommit(3, 0, 1, 0)), "the winner asking again");
        assertFalse(allowed(new ClusterMessage.CanCommit(4, 0, 0, 0)), "a stage that is not running");
        int[] writers = new int[1];
        commits.registerOutput("job1", new OutputCommitCoordinator.OutputJob() {
            @Override
            public boolean enter() {
                writers[0]++;
                return true;
            }

            @Override
            public void exit() {
                writers[0]--;
            }
        });
        assertTrue(allowed(new ClusterMessage.EnterOutput("job1")));
        assertEquals(1, writers[0]);
        ask(new ClusterMessage.ExitOutput("job1"));
        assertEquals(0, writers[0]);
        assertFalse(allowed(new ClusterMessage.EnterOutput("no-such-job")), "an unknown save job admits no writer");
    }

    private boolean allowed(ClusterMessage question) throws IOException {
        return ClusterMessage.decode(ask(question), ClusterMessage.OutputAnswer.class).allowed();
    }

    @Test
    void anExecutorTheDriverDidNotStartCannotRegisterOrHeartbeat() {
        RemoteFailureException e = assertThrows(RemoteFailureException.class,
                () -> ask(new ClusterMessage.RegisterExecutor("0", "127.0.0.1", 1, 1, ProcessHandle.current().pid())));
        assertTrue(e.getMessage().contains("Executor 0 (pid " + ProcessHandle.current().pid() + ") is not one this driver started"),
                e.getMessage());
        e = assertThrows(RemoteFailureException.class, () -> ask(new ClusterMessage.Heartbeat("0", new byte[0])));
        assertTrue(e.getMessage().contains("Executor 0 is not registered with this driver"), e.getMessage());
        assertEquals(0, listener.added.size());
        assertEquals(0, listener.heartbeats.size());
    }

    @Test
    void messagesTheDriverDoesNotTakeAreErrors() {
        RemoteFailureException e = assertThrows(RemoteFailureException.class, () -> ask(new ClusterMessage.StopExecutor()));
        assertTrue(e.getMessage().contains("The driver answers no StopExecutor requests"), e.getMessage());
        e = assertThrows(RemoteFailureException.class, () -> client.requestAndWait(new byte[] {42}));
        assertTrue(e.getMessage().contains("Unknown cluster message tag 42"), e.getMessage());
    }
}
