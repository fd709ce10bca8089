package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A starting context deletes the scratch directories of processes that are gone (killed before they
 * could clean up), judged by the owner file each scratch directory holds, and never touches a
 * directory whose owner is alive or that has no owner file. Owners are real {@code sleep} processes.
 */
class StaleScratchDirectoryTest {

    @TempDir
    Path local;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void whenAContextStarts_thenOnlyScratchDirectoriesOfDeadOwnersAreDeleted() throws Exception {
        Process dead = sleeper();
        long deadStart = startMillis(dead);
        dead.destroyForcibly();
        assertTrue(dead.waitFor(30, TimeUnit.SECONDS));
        Process live = sleeper();

        Path ofDead = scratch("kindling-" + dead.pid() + "-1-1", "pid=" + dead.pid() + " start=" + deadStart);
        Path ofLive = scratch("kindling-" + live.pid() + "-1-2", "pid=" + live.pid() + " start=" + startMillis(live));
        // The live process's pid, but a process that started an hour earlier: the pid was reused.
        Path ofReusedPid = scratch("kindling-" + live.pid() + "-1-3",
                "pid=" + live.pid() + " start=" + (startMillis(live) - 3_600_000));
        Path ofLiveUnknownStart = scratch("kindling-" + live.pid() + "-1-4", "pid=" + live.pid() + " start=-");
        Path withoutOwner = scratch("kindling-old-style", null);
        Path unreadableOwner = scratch("kindling-garbled", "pid=abc start=");
        Path notOurs = scratch("user-data", "pid=" + dead.pid() + " start=" + deadStart);

        try (KindlingContext kc = Kindling.builder().master("local[1]")
                .config(KindlingConf.LOCAL_DIR, local.toString()).build()) {
            assertFalse(Files.exists(ofDead), "the scratch directory of a dead process is deleted");
            assertFalse(Files.exists(ofReusedPid), "a reused pid is recognised by its start time");
            for (Path kept : List.of(ofLive, ofLiveUnknownStart, withoutOwner, unreadableOwner, notOurs)) {
                assertTrue(Files.exists(kept.resolve("data.bin")), kept + " is kept");
            }
            String owner = Files.readString(kc.localDir().resolve(ScratchDirectory.OWNER_FILE)).trim();
            assertEquals("pid=" + ProcessHandle.current().pid() + " start="
                    + ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(), owner);
        }
    }

    @Test
    void whenTheOwnerDiesLater_thenTheNextContextDeletesItsDirectory() throws Exception {
        Process owner = sleeper();
        Path dir = scratch("kindling-" + owner.pid() + "-7-7", "pid=" + owner.pid() + " start=" + startMillis(owner));
        try (KindlingContext first = Kindling.builder().master("local[1]").config(KindlingConf.LOCAL_DIR, local.toString()).build()) {
            assertTrue(Files.exists(dir), "the owner is alive");
        }
        owner.destroyForcibly();
        assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        try (KindlingContext second = Kindling.builder().master("local[1]").config(KindlingConf.LOCAL_DIR, local.toString()).build()) {
            assertFalse(Files.exists(dir), "the owner is gone");
        }
        try (var left = Files.list(local)) {
            assertEquals(0, left.count(), "closed contexts leave nothing either");
        }
    }

    private Process sleeper() throws Exception {
        Process p = new ProcessBuilder("sleep", "300").start();
        processes.add(p);
        return p;
    }

    private static long startMillis(Process p) {
        return p.info().startInstant().orElseThrow().toEpochMilli();
    }

    private Path scratch(String name, String owner) throws Exception {
        Path dir = Files.createDirectories(local.resolve(name));
        Files.write(dir.resolve("data.bin"), new byte[] {1, 2, 3});
        if (owner != null) {
            Files.writeString(dir.resolve(ScratchDirectory.OWNER_FILE), owner + "\n");
        }
        return dir;
    }
}
