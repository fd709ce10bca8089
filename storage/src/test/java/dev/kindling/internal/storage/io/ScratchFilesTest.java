package dev.kindling.internal.storage.io;

import dev.kindling.storage.DiskFullException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.KryoException;
import dev.kindling.storage.NotRetryable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a failed scratch-file write is reported: full disk, other I/O error, or not an I/O error at all. */
class ScratchFilesTest {

    @Test
    void aFullDiskWrappedByKryoBecomesANotRetryableDiskFullException_andThePartialFileIsDeleted(@TempDir Path tmp)
            throws IOException {
        Path file = tmp.resolve("kindling-42-7--123").resolve("shuffle").resolve("shuffle_0_1_2.kryo");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "partial");
        IOException enospc = new IOException("No space left on device");
        RuntimeException e = ScratchFiles.writeFailed("shuffle spill file", file,
                new UncheckedIOException("Cannot write to the output stream", enospc));
        DiskFullException full = assertInstanceOf(DiskFullException.class, e);
        assertTrue(full instanceof NotRetryable);
        assertSame(enospc, full.getCause());
        assertEquals("no space left on device while writing shuffle spill file " + file + " in kindling.local.dir="
                + tmp + "; free space there or set kindling.local.dir to a directory on a larger disk", full.getMessage());
        assertFalse(Files.exists(file));
        assertTrue(ScratchFiles.isDiskFull(new KryoException(enospc)));
        assertTrue(ScratchFiles.isDiskFull(new FileSystemException("/x", null, "No space left on device")));
    }

    @Test
    void anotherIoErrorNamesTheFile_andAFailureThatIsNotIoIsKeptAsItIs(@TempDir Path tmp) {
        Path file = tmp.resolve("spill_1.kryo");
        IOException denied = new IOException("Permission denied");
        RuntimeException io = ScratchFiles.writeFailed("sort spill run", file, new KryoException(denied));
        assertInstanceOf(UncheckedIOException.class, io);
        assertSame(denied, io.getCause());
        assertTrue(io.getMessage().startsWith("Cannot write sort spill run " + file + ": Permission denied"),
                io.getMessage());
        assertFalse(ScratchFiles.isDiskFull(io));
        IllegalStateException notIo = new IllegalStateException("task killed");
        assertSame(notIo, ScratchFiles.writeFailed("sort spill run", file, notIo));
        assertEquals(tmp, ScratchFiles.localDirOf(file), "outside a scratch directory: the file's directory");
    }
}
