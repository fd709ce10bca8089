package dev.kindling.internal.io;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command started as the root of a process tree, and the means to end every process in that tree:
 * the command, its children and theirs, including those whose parent has exited (reparented to init).
 *
 * <p>How the tree is found:
 * <ol>
 *   <li>Where util-linux {@code setsid} works (Linux: checked once per JVM), the command is started as
 *       {@code setsid command…}, which makes it the leader of a new session and process group and then
 *       execs it in place (same pid). Its children stay in that group, also after their parent died,
 *       unless they move themselves out; the group's members are read from {@code /proc}. Hadoop's
 *       node manager runs containers the same way.</li>
 *   <li>Everywhere, {@link #members()} remembers every descendant it sees, so a process that was seen
 *       once is killed even after its parent died. Callers take such a snapshot now and then while the
 *       command runs, and at every kill.</li>
 * </ol>
 * A process that leaves the group and whose parent exits before any snapshot (a daemon detaching
 * itself) cannot be found; if it keeps the command's stdout open, the reader waits for it.
 *
 * <p>Killing ({@link #destroy}): TERM to every process of the tree; after a grace period, KILL to every
 * one still there, again and again until none is left (a process may fork while it is killed). A
 * JVM shutdown hook kills every tree still running, so that stopping the JVM (SIGTERM, Ctrl-C, which
 * no longer reaches a command in its own session) stops the commands too.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
final class ProcessTree {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    /** How long TERMed processes get to exit before they are KILLed. */
    static final long GRACE_MILLIS = 500;
    private static final Path PROC = Path.of("/proc");
    private static final Set<ProcessTree> LIVE = ConcurrentHashMap.newKeySet();
    /** Starts hold the read lock; the shutdown hook takes the write lock, so no start slips past it. */
    private static final ReadWriteLock STARTS = new ReentrantReadWriteLock();
    private static boolean hookAdded;
    private static boolean shuttingDown;

    private final Process root;
    private final String name;
    /** Whether the root leads its own process group (started through setsid), whose id is its pid. */
    private final boolean grouped;
    /** Every process of the tree seen so far, except the root; dead ones are dropped at each snapshot. */
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    /** Set once the group was seen empty after the root exited: a process group never refills. */
    private volatile boolean groupGone;
    private volatile boolean killedAtShutdown;

    private ProcessTree(Process root, String name, boolean grouped) {
        this.root = root;
        this.name = name;
        this.grouped = grouped;
    }

    /**
     * Starts the command of {@code builder} as a new tree (in its own process group where possible).
     *
     * @throws IOException if the program cannot be found or started, or the JVM is shutting down
     */
    static ProcessTree start(ProcessBuilder builder) throws IOException {
        return start(builder, true);
    }

    /** Like {@link #start(ProcessBuilder)}; {@code ownGroup = false} finds the tree by snapshots alone, as where setsid is missing. */
    static ProcessTree start(ProcessBuilder builder, boolean ownGroup) throws IOException {
        addShutdownHook();
        List<String> command = List.copyOf(builder.command());
        String setsid = ownGroup ? Setsid.PATH : null;
        if (setsid != null) {
            // setsid reports a missing program only as its own exit status: check first, as ProcessBuilder would.
            checkRunnable(command.get(0), builder);
            List<String> wrapped = new ArrayList<>(command.size() + 1);
            wrapped.add(setsid);
            wrapped.addAll(command);
            builder.command(wrapped);
        }
        STARTS.readLock().lock();
        try {
            if (shuttingDown) {
                // A task retried while the JVM shuts down must not start what the hook has already killed.
                throw new IOException("the JVM is shutting down; no new process is started");
            }
            ProcessTree tree = new ProcessTree(builder.start(), String.join(" ", command), setsid != null);
            LIVE.add(tree);
            return tree;
        } finally {
            STARTS.readLock().unlock();
            builder.command(command);
        }
    }

    /** The command's own process. */
    Process root() {
        return root;
    }

    /** Whether the tree was killed by the JVM's shutdown hook. */
    boolean killedAtShutdown() {
        return killedAtShutdown;
    }

    /**
     * The processes of the tree alive now (the root too while it runs), remembering each one, so a
     * later call still finds it after its parent died. Zombies do not count: they are already dead.
     */
    Set<ProcessHandle> members() {
        Map<Long, long[]> procs = Setsid.PROC_READABLE ? scanProc() : null;
        Set<ProcessHandle> live = new HashSet<>();
        if (procs == null) {
            if (root.isAlive()) {
                live.add(root.toHandle());
                root.descendants().forEach(live::add);
            }
            for (ProcessHandle h : seen) {
                if (h.isAlive()) {
                    live.add(h);
                    h.descendants().forEach(live::add);
                } else {
                    seen.remove(h);
                }
            }
        } else {
            Deque<Long> parents = new ArrayDeque<>();
            Map<Long, ProcessHandle> found = new HashMap<>();
            if (root.isAlive() && procs.containsKey(root.pid())) {
                found.put(root.pid(), root.toHandle());
                parents.add(root.pid());
            }
            for (ProcessHandle h : seen) {
                if (procs.containsKey(h.pid()) && h.isAlive()) {
                    found.put(h.pid(), h);
                    parents.add(h.pid());
                } else {
                    seen.remove(h);
                }
            }
            Map<Long, List<Long>> children = new HashMap<>();
            boolean groupSeen = false;
            for (Map.Entry<Long, long[]> e : procs.entrySet()) {
                children.computeIfAbsent(e.getValue()[0], k -> new ArrayList<>()).add(e.getKey());
                if (grouped && !groupGone && e.getValue()[1] == root.pid()) {
                    groupSeen = true;
                    parents.add(e.getKey());
                }
            }
            if (grouped && !groupSeen && !root.isAlive()) {
                groupGone = true;
            }
            Set<Long> visited = new HashSet<>();
            while (!parents.isEmpty()) {
                long pid = parents.poll();
                if (!visited.add(pid)) {
                    continue;
                }
                if (!found.containsKey(pid)) {
                    ProcessHandle.of(pid).ifPresent(h -> found.put(pid, h));
                }
                parents.addAll(children.getOrDefault(pid, List.of()));
            }
            live.addAll(found.values());
        }
        for (ProcessHandle h : live) {
            if (h.pid() != root.pid()) {
                seen.add(h);
            }
        }
        return live;
    }

    /**
     * Sends TERM to every process of the tree, gives them {@link #GRACE_MILLIS} to exit, then KILLs
     * what is left until nothing is, for at most {@code waitMillis}. Blocks the calling thread.
     *
     * @return whether no process of the tree is left
     */
    boolean destroy(long waitMillis) {
        if (terminate()) {
            long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            while (System.nanoTime() < graceEnd && !members().isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (kill()) {
                if (System.nanoTime() > end) {
                    LOG.warn("Could not kill every process started by {}; still running: {}", name, members());
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        return true;
    }

    /** Sends TERM to every process of the tree; returns whether there was any. */
    boolean terminate() {
        return signal(false);
    }

    /** Sends KILL to every process of the tree; returns whether there was any. */
    boolean kill() {
        return signal(true);
    }

    private boolean signal(boolean force) {
        Set<ProcessHandle> live = members();
        if (live.isEmpty()) {
            LIVE.remove(this); // nothing left to kill at shutdown either
            return false;
        }
        for (ProcessHandle h : live) {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
        return true;
    }

    // ---- the JVM's shutdown ----

    private static synchronized void addShutdownHook() throws IOException {
        if (hookAdded) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ProcessTree::killAllAtShutdown, "kindling-process-trees-shutdown"));
            hookAdded = true;
        } catch (IllegalStateException e) {
            throw new IOException("The JVM is shutting down; no new process is started", e);
        }
    }

    private static void killAllAtShutdown() {
        STARTS.writeLock().lock();
        try {
            shuttingDown = true;
        } finally {
            STARTS.writeLock().unlock();
        }
        List<ProcessTree> trees = new ArrayList<>(LIVE);
        boolean any = false;
        for (ProcessTree t : trees) {
            t.killedAtShutdown = true;
            any |= t.terminate();
        }
        if (!any) {
            return;
        }
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        long end = graceEnd + TimeUnit.SECONDS.toNanos(2);
        boolean left = true;
        while (left && System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            boolean afterGrace = System.nanoTime() > graceEnd;
            left = false;
            for (ProcessTree t : trees) {
                left |= afterGrace ? t.kill() : !t.members().isEmpty();
            }
        }
    }

    // ---- the operating system ----

    /** Fails like {@code ProcessBuilder.start()} would when the program cannot be run. */
    private static void checkRunnable(String program, ProcessBuilder builder) throws IOException {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute() && builder.directory() != null) {
                p = builder.directory().toPath().resolve(p);
            }
            if (!Files.isRegularFile(p)) {
                throw new IOException("error=2, No such file or directory");
            }
            if (!Files.isExecutable(p)) {
                throw new IOException("error=13, Permission denied (not executable; chmod +x it)");
            }
            return;
        }
        String path = builder.environment().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
        }
        throw new IOException("error=2, No such file or directory (not found on the PATH " + path + ")");
    }

    /** pid to {parent pid, process group} of every process alive now (zombies left out), or null if /proc cannot be read. */
    private static Map<Long, long[]> scanProc() {
        String[] pids = PROC.toFile().list();
        if (pids == null) {
            return null;
        }
        Map<Long, long[]> all = new HashMap<>();
        byte[] buffer = new byte[1024]; // the fields we need come first; one read is enough
        for (String pid : pids) {
            if (pid.isEmpty() || !Character.isDigit(pid.charAt(0))) {
                continue;
            }
            try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
                int n = in.read(buffer);
                long[] stat = n <= 0 ? null : parseStat(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (stat != null) {
                    all.put(Long.parseLong(pid), stat);
                }
            } catch (IOException | RuntimeException e) {
                // The process ended while we looked.
            }
        }
        return all;
    }

    /** {parent pid, process group} from a {@code /proc/<pid>/stat} line, or null for a zombie or dead process. */
    static long[] parseStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 1).trim().split(" ", 4);
        if (f.length < 3 || f[0].equals("Z") || f[0].equals("X") || f[0].equals("x")) {
            return null;
        }
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    /** Whether and where util-linux setsid starts a command as a new process group in place; checked once. */
    private static final class Setsid {
        static final boolean PROC_READABLE = Files.isReadable(PROC.resolve("self/stat"));
        static final String PATH = probe();

        private static String probe() {
            if (!PROC_READABLE) {
                return null;
            }
            for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
                if (Files.isExecutable(Path.of(candidate)) && works(candidate)) {
                    return candidate;
                }
            }
            LOG.debug("No working setsid: commands run in the JVM's process group; their trees are found by snapshots only");
            return null;
        }

        /** Runs {@code setsid cat /proc/self/stat}: cat must report the pid we started and lead its own group. */
        private static boolean works(String setsid) {
            try {
                Process p = new ProcessBuilder(setsid, "cat", "/proc/self/stat").redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                long[] stat = parseStat(out);
                return p.exitValue() == 0 && stat != null && stat[1] == p.pid()
                        && out.startsWith(p.pid() + " ");
            } catch (IOException | RuntimeException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
