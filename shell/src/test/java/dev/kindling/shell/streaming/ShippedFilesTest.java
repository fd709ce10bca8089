package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a streaming job as they travel to executors and are written there once per job. */
class ShippedFilesTest {

    @TempDir
    Path dir;

    @Test
    void manyTasksMaterializingAtOnce_leaveOneCompleteCopy_withPermissionsKept_andProgramsExecutable() throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\ncat\n");
        Path table = Files.write(dir.resolve("table.bin"), data);
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rwxr-x---"));
        ShippedFiles shipped = ShippedFiles.read(List.of(script, table, Path.of(notes + "#renamed.txt")))
                .withExecutable(List.of("run.sh"));
        // As a task gets it: through serialization (the broadcast's bytes).
        ShippedFiles received = roundTrip(shipped);
        assertEquals(List.of("run.sh", "table.bin", "renamed.txt"), received.names());

        Path jobDir = Files.createDirectories(dir.resolve("executor/streaming/job_1"));
        int tasks = 8;
        CyclicBarrier start = new CyclicBarrier(tasks);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        List<Future<Path>> results = new ArrayList<>();
        try {
            for (int t = 0; t < tasks; t++) {
                String attempt = "attempt_m_" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    return received.materialize(jobDir, attempt);
                }));
            }
            for (Future<Path> r : results) {
                assertEquals(jobDir.resolve("files"), r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (var left = Files.list(jobDir)) {
            assertEquals(List.of(jobDir.resolve("files")), left.toList(), "private copies left behind");
        }
        Path files = jobDir.resolve("files");
        assertEquals("#!/bin/sh\ncat\n", Files.readString(files.resolve("run.sh")));
        assertArrayEquals(data, Files.readAllBytes(files.resolve("table.bin")));
        assertEquals("x", Files.readString(files.resolve("renamed.txt")));
        assertEquals("rwxr-x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.resolve("run.sh"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.resolve("table.bin"))));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.resolve("renamed.txt"))));
    }

    private static ShippedFiles roundTrip(ShippedFiles files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(files);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ShippedFiles) in.readObject();
        }
    }
}
