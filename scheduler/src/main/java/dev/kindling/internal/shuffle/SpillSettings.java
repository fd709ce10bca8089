package dev.kindling.internal.shuffle;

import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the reduce-side buffers ({@link ExternalAggregator}, {@link ExternalSorter}) of one executor
 * need to spill: the memory budget they account against, the serializer of their run files, the
 * directory those files go to, and the executor's task slots (one task's share of the budget is
 * {@code budget / taskSlots}). Made once per executor from its context.
 *
 * @param memory     the execution memory budget
 * @param serializer serializes spilled runs
 * @param dir        where run files are written (created on the first spill)
 * @param taskSlots  tasks that may run at once on this executor (at least 1)
 */
public record SpillSettings(MemoryManager memory, KryoSerializer serializer, Path dir, int taskSlots) {

    /** Checks the parts: none null, at least one task slot. */
    public SpillSettings {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(dir, "dir");
        if (taskSlots < 1) {
            throw new IllegalArgumentException("SpillSettings needs at least one task slot (got " + taskSlots + ")");
        }
    }
}
