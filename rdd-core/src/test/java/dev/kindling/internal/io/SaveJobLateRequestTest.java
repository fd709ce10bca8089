package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed task attempt can leave a file-system request in flight that runs after its save job was
 * aborted (an HDFS client sends an interrupted call anyway). Such a request must fail, not bring back
 * the output directory the abort deleted: attempts create their directories and files without
 * parents, under a directory the job made at {@link SaveJob#begin}.
 */
class SaveJobLateRequestTest {

    @TempDir
    Path dir;

    @Test
    void begin_makesTheAttemptsDirectory_soAttemptsNeedNoParents() {
        Path out = dir.resolve("out");
        SaveJob job = SaveJob.begin(FsPath.of(out.toString(), "Output path"), "t1", false, false, List.of());
        try {
            assertTrue(Files.isDirectory(job.attemptsDir()), "made by begin");
            assertTrue(job.attemptsDir().startsWith(out.resolve("_temporary")), job.attemptsDir().toString());
        } finally {
            job.abort(0);
        }
        assertFalse(Files.exists(out), "the abort deletes the directory the job created");
    }

    @Test
    void aLateRequestOfAKilledAttempt_cannotBringBackAnAbortedSave() {
        Path out = dir.resolve("late");
        SaveJob job = SaveJob.begin(FsPath.of(out.toString(), "Output path"), "t2", false, false, List.of());
        Path attempt = job.attemptsDir().resolve("attempt_t2_m_000003_0");
        job.abort(0);

        OutputFs fs = job.fs();
        assertThrows(NoSuchFileException.class, () -> fs.createDirectory(attempt));
        assertThrows(NoSuchFileException.class, () -> fs.create(attempt.resolve("part-00003")).close());
        assertFalse(Files.exists(out), "nothing of the aborted save came back");
    }
}
