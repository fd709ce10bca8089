package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.cluster.ClusterMessage;
import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.AuthenticationException;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClientFactory;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.internal.scheduler.backend.TaskBinary;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * K20 against a live application: a context on {@code local-cluster[2,1,512]}, and from outside it raw
 * TCP connections to the driver's and the executors' servers carrying 10,000 fuzzed frames (random
 * lengths and bytes, truncated frames, oversized and negative length prefixes), connections with a
 * wrong secret, and well-formed {@code RegisterExecutor}, {@code LaunchTask}, {@code StatusUpdate} and
 * Java-serialized frames sent before (or instead of) the handshake.
 *
 * <p>What counts, across processes: every object that would be deserialized carries a {@link Canary}
 * whose {@code readObject} leaves a file (so a deserialization in any JVM is seen); a launched task
 * would have to deserialize its binary, which is a canary; a registration acted upon would make the
 * driver connect to the fake executor's port, which counts connections. The real job afterwards ships
 * a canary in its closure: the files it leaves show the counter works, and its result is exact. Every
 * server socket the application opened (this JVM's new ones and the executors') listens on loopback,
 * read from {@code /proc/net/tcp*} and the processes' socket descriptors.
 */
class LiveClusterTrafficTest {

    private static final String EXECUTOR_MAIN = "dev.kindling.internal.cluster.ExecutorProcess";
    private static final int FRAMES = 10_000;
    /** Frame type codes of the transport (storage's FrameType). */
    private static final byte AUTH_HELLO = 1;
    private static final byte AUTH_PROOF = 3;
    private static final byte REQUEST = 16;
    private static final byte ONE_WAY = 19;
    private static final byte BLOCK_SIZE_REQUEST = 32;

    @TempDir
    Path tmp;

    /** A serializable object whose deserialization, in whatever JVM, leaves a file in {@link #dir}. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        final String dir;

        Canary(String dir) {
            this.dir = dir;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(dir, "deserialized-" + ProcessHandle.current().pid() + "-" + System.nanoTime()),
                    Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void fuzzedFramesWrongSecretsAndUnauthenticatedTaskFramesReachNothingAndTheJobStillRuns() throws Exception {
        Path canaries = Files.createDirectories(tmp.resolve("canaries"));
        Canary canary = new Canary(canaries.toString());
        Set<Long> listeningBefore = listeningInodes(ProcessHandle.current().pid());
        AtomicInteger taskEvents = new AtomicInteger();
        SchedulerListener tasks = new SchedulerListener() {
            @Override
            public void onTaskStart(SchedulerEvent.TaskStart event) {
                taskEvents.incrementAndGet();
            }
        };
        try (KindlingContext kc = Kindling.builder().master("local-cluster[2,1,512]").build();
             FakeExecutorPort fake = new FakeExecutorPort()) {
            kc.addListener(tasks);
            List<ProcessHandle> executors = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_MAIN)).toList();
            assertEquals(2, executors.size(), "executor processes");

            // Every server socket the application opened listens on loopback.
            Map<Long, InetSocketAddress> listening = listeningSockets();
            Set<Long> driverInodes = new HashSet<>(listeningInodes(ProcessHandle.current().pid()));
            driverInodes.removeAll(listeningBefore);
            driverInodes.remove(fake.inode());
            List<InetSocketAddress> driverServers = addressesOf(driverInodes, listening);
            assertFalse(driverServers.isEmpty(), "the driver listens on no new socket");
            List<InetSocketAddress> executorServers = new ArrayList<>();
            for (ProcessHandle e : executors) {
                List<InetSocketAddress> own = addressesOf(listeningInodes(e.pid()), listening);
                assertFalse(own.isEmpty(), "executor " + e.pid() + " listens on no socket");
                executorServers.addAll(own);
            }
            List<InetSocketAddress> all = new ArrayList<>(driverServers);
            all.addAll(executorServers);
            for (InetSocketAddress a : all) {
                assertTrue(a.getAddress().isLoopbackAddress(), "a server of the application listens on " + a
                        + ", not loopback (driver: " + driverServers + ", executors: " + executorServers + ")");
            }

            long seed = new Random().nextLong();
            Random random = new Random(seed);
            FrameMaker maker = new FrameMaker(canary, fake.port(), executors.get(0).pid());
            int sent = 0;
            int connections = 0;
            while (sent < FRAMES) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                int n = Math.min(FRAMES - sent, 1 + random.nextInt(20));
                for (int i = 0; i < n; i++) {
                    batch.writeBytes(maker.fuzzedFrame(random));
                }
                sent += n;
                connections++;
                InetSocketAddress target = all.get(random.nextInt(all.size()));
                sendAndExpectClose(target, batch.toByteArray());
            }
            assertEquals(FRAMES, sent);
            assertTrue(connections >= FRAMES / 20, "connections " + connections);

            NetworkConfig config = NetworkConfig.defaults().withTimeoutMs(10_000);
            try (TransportClientFactory wrong = TransportClientFactory.create(config, AppSecret.generate())) {
                for (InetSocketAddress a : all) {
                    for (int i = 0; i < 5; i++) {
                        AuthenticationException e = assertThrows(AuthenticationException.class, () -> wrong.connect(a),
                                "a wrong secret against " + a);
                        assertTrue(e.getMessage().contains("does not know this application's secret"), e.getMessage());
                    }
                }
            }

            assertEquals(List.of(), canaryFiles(canaries), "deserializations from unauthenticated traffic (seed " + seed + ")");
            assertEquals(0, fake.connections(), "registrations acted upon: the driver connected to the fake executor (seed "
                    + seed + ")");
            assertEquals(0, taskEvents.get(), "task starts before the real job (seed " + seed + ")");
            for (ProcessHandle e : executors) {
                assertTrue(e.isAlive(), "executor " + e.pid() + " died of the traffic (seed " + seed + ")");
            }

            // The real job: its closure carries the canary, so the counter is shown to count.
            List<Integer> ints = IntStream.range(0, 5_000).boxed().toList();
            Map<Integer, Long> counts = new TreeMap<>(kc.parallelize(ints, 4)
                    .filter(x -> !canary.dir.isEmpty())
                    .mapToPair(x -> Pair.of(x % 7, 1L)).reduceByKey(Long::sum, 3).collectAsMap());
            assertEquals(new TreeMap<>(ints.stream().collect(Collectors.groupingBy(x -> x % 7, Collectors.counting()))), counts);
            Set<Long> executorPids = executors.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            List<Long> deserializedIn = canaryFiles(canaries).stream().map(LiveClusterTrafficTest::pidOf).toList();
            assertFalse(deserializedIn.isEmpty(), "the real job's closure was never deserialized: the canary counts nothing");
            assertTrue(deserializedIn.stream().anyMatch(executorPids::contains), "the real job's closure was deserialized in "
                    + deserializedIn + ", never in an executor " + executorPids);
            assertEquals(0, fake.connections(), "connections to the fake executor");
            for (int i = 0; i < 300 && taskEvents.get() < 7; i++) {
                Thread.sleep(100); // the listener bus delivers on its own thread, after the job returns (a hang guard)
            }
            assertTrue(taskEvents.get() >= 7, "task starts of the real job: " + taskEvents.get());
        }
    }

    /** Writes {@code bytes}, half-closes, and reads until the server closes (the read timeout is a hang guard). */
    private static void sendAndExpectClose(InetSocketAddress address, byte[] bytes) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(bytes);
                s.shutdownOutput();
            } catch (SocketException closedEarly) {
                return; // the server closed the connection at the first bad frame
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // a handshake challenge is all a server may answer; drain it
                }
            } catch (SocketException reset) {
                // closed with unread bytes: a reset is a close too
            }
        }
    }

    /** Makes fuzzed frames, among them well-formed cluster messages that would do harm if acted upon. */
    private static final class FrameMaker {
        private final byte[] serializedCanary;
        private final byte[] launchTask;
        private final byte[][] register;
        private final byte[] statusUpdate;

        FrameMaker(Canary canary, int fakePort, long executorPid) {
            serializedCanary = javaSerialize(canary);
            TaskDescription task = new TaskDescription(1_000_000, 0, 0, 0, 0, 0, TaskBinary.fromBytes(serializedCanary, null),
                    new long[0], new long[0], Map.of(), TaskClosure.Mode.COPY);
            launchTask = new ClusterMessage.LaunchTask(task.encode()).encode();
            // One of the two ids is the one this pid registered under, so the driver's checks pass for it.
            register = new byte[][] {
                new ClusterMessage.RegisterExecutor("0", "127.0.0.1", fakePort, 1, executorPid).encode(),
                new ClusterMessage.RegisterExecutor("1", "127.0.0.1", fakePort, 1, executorPid).encode()};
            statusUpdate = new ClusterMessage.StatusUpdate("0", serializedCanary).encode();
        }

        byte[] fuzzedFrame(Random r) {
            switch (r.nextInt(10)) {
                case 0: { // random bytes, random length
                    byte[] b = new byte[r.nextInt(300)];
                    r.nextBytes(b);
                    return b;
                }
                case 1: { // a well-formed frame of a random type with a random payload
                    byte[] payload = new byte[r.nextInt(120)];
                    r.nextBytes(payload);
                    return frame((byte) r.nextInt(256), payload);
                }
                case 2: { // an oversized or negative length prefix
                    int[] lengths = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 129, NetworkConfig.DEFAULT_MAX_FRAME_BYTES + 1,
                            1 + r.nextInt(Integer.MAX_VALUE)};
                    return ByteBuffer.allocate(4 + 16).putInt(lengths[r.nextInt(lengths.length)]).array();
                }
                case 3: { // truncated: the prefix promises more than follows
                    byte[] whole = frame(ONE_WAY, launchTask);
                    return Arrays.copyOf(whole, r.nextInt(whole.length));
                }
                case 4: // a well-formed LaunchTask whose binary is a canary
                    return frame(ONE_WAY, launchTask);
                case 5: // a well-formed RegisterExecutor request pointing the driver at the fake executor
                    return frame(REQUEST, concat(longBytes(r.nextLong()), register[r.nextInt(2)]));
                case 6: // a status update, and a bare Java-serialized canary, one-way and as a request
                    return switch (r.nextInt(3)) {
                        case 0 -> frame(ONE_WAY, statusUpdate);
                        case 1 -> frame(ONE_WAY, serializedCanary);
                        default -> frame(REQUEST, concat(longBytes(r.nextLong()), serializedCanary));
                    };
                case 7: // a block fetch for a shuffle block
                    return frame(BLOCK_SIZE_REQUEST, concat(longBytes(1), "shuffle_0_0_0".getBytes()));
                case 8: { // a correct-looking hello, then a LaunchTask instead of the proof
                    return concat(frame(AUTH_HELLO, hello(r)), frame(ONE_WAY, launchTask));
                }
                default: { // a hello, a random proof, then a registration
                    byte[] proof = new byte[32];
                    r.nextBytes(proof);
                    return concat(frame(AUTH_HELLO, hello(r)), frame(AUTH_PROOF, proof),
                            frame(REQUEST, concat(longBytes(4), register[r.nextInt(2)])));
                }
            }
        }

        private static byte[] hello(Random r) {
            byte[] nonce = new byte[32];
            r.nextBytes(nonce);
            return concat(new byte[] {1, 0}, nonce); // version 1, no crypto, a 32-byte nonce
        }
    }

    /** A loopback server socket posing as an executor's server; counts the connections made to it. */
    private static final class FakeExecutorPort implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        FakeExecutorPort() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "fake-executor-port");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        /** This socket's inode in /proc/net/tcp*, so it is not counted as the application's. */
        long inode() throws IOException {
            for (Map.Entry<Long, InetSocketAddress> e : listeningSockets().entrySet()) {
                if (e.getValue().getPort() == port() && listeningInodes(ProcessHandle.current().pid()).contains(e.getKey())) {
                    return e.getKey();
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Path> canaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("deserialized-")).sorted().toList();
        }
    }

    private static long pidOf(Path canaryFile) {
        try {
            return Long.parseLong(Files.readString(canaryFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<InetSocketAddress> addressesOf(Set<Long> inodes, Map<Long, InetSocketAddress> listening) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (long inode : inodes) {
            InetSocketAddress a = listening.get(inode);
            if (a != null) {
                addresses.add(a);
            }
        }
        return addresses;
    }

    /** Socket inodes among the open file descriptors of process {@code pid}. */
    private static Set<Long> listeningInodes(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        Map<Long, InetSocketAddress> listening = listeningSockets();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    long inode = Long.parseLong(target.substring(8, target.length() - 1));
                    if (listening.containsKey(inode)) {
                        inodes.add(inode);
                    }
                }
            }
        }
        return inodes;
    }

    /** Every TCP socket in state LISTEN on this machine, by inode, from /proc/net/tcp and /proc/net/tcp6. */
    private static Map<Long, InetSocketAddress> listeningSockets() throws IOException {
        Map<Long, InetSocketAddress> sockets = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (!f[3].equals("0A")) { // TCP_LISTEN
                    continue;
                }
                String[] local = f[1].split(":");
                sockets.put(Long.parseLong(f[9]), new InetSocketAddress(procAddress(local[0]), Integer.parseInt(local[1], 16)));
            }
        }
        return sockets;
    }

    /** An address as /proc/net/tcp* writes it: 32-bit words in hex, each in the machine's (little-endian) order. */
    private static InetAddress procAddress(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private static byte[] javaSerialize(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] frame(byte type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put(type).put(payload).array();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
