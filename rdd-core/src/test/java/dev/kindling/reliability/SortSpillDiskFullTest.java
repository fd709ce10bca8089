package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.shuffle.ExternalSorter;
import dev.kindling.internal.shuffle.SpillSettings;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.DiskFullException;
import dev.kindling.testing.TmpfsMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A sort that spills a run onto a full disk (a real 1 MiB tmpfs): the error names the run file, the
 * kind of file and kindling.local.dir, and no file is left behind.
 */
class SortSpillDiskFullTest {

    @Test
    void whenTheDiskIsFull_thenTheErrorNamesTheRunAndItsDirectory_andNoFileIsLeft() throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount("1m")) {
            Path dir = disk.dir().resolve("kindling-1-1-1").resolve("spill");
            // An 8 MiB budget: the first spill comes after about 100,000 records, a run of more than 1 MiB.
            SpillSettings settings = new SpillSettings(new MemoryManager(8L << 20), KryoSerializer.create(), dir, 1);
            ExternalSorter<Integer, String> sorter = new ExternalSorter<>(Comparator.naturalOrder(), settings,
                    new TaskContext(1, 0, 0, 0, 0, 1L), "sorting for a test");
            DiskFullException e = assertThrows(DiskFullException.class, () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    sorter.insert(i, "value " + i);
                }
            });
            assertTrue(e.getMessage().matches("no space left on device while writing sort spill run "
                    + Pattern.quote(dir.toString()) + "/spill_\\d+\\.kryo in kindling\\.local\\.dir="
                    + Pattern.quote(disk.dir().toString()) + "; .*"), e.getMessage());
            assertTrue(e.getCause() instanceof IOException && e.getCause().getMessage().contains("No space left"));
            assertFalse(Files.exists(e.file()));
            try (Stream<Path> files = Files.walk(disk.dir())) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder())
                        .collect(Collectors.toList()));
            }
        }
    }
}
