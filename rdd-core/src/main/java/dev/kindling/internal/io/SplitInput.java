package dev.kindling.internal.io;

import java.util.List;

/** Text input read in byte-range splits, one partition per split, on any file system (the streaming runner reports them). */
public interface SplitInput {

    /** The planned splits, partition {@code i} reading split {@code i}. */
    List<FileSplit> splits();
}
