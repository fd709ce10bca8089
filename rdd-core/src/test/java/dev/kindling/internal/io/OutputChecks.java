package dev.kindling.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads an output directory back independently of Kindling: its names, and its part files' lines in order. */
final class OutputChecks {

    private OutputChecks() {
    }

    /** The names directly in {@code out}, sorted. */
    static List<String> names(Path out) throws IOException {
        try (Stream<Path> list = Files.list(out)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code part-00000} ... {@code part-<n-1>} and {@code _SUCCESS}, sorted: a complete output of n partitions. */
    static List<String> completeNames(int partitions) {
        List<String> names = new ArrayList<>();
        names.add("_SUCCESS");
        for (int p = 0; p < partitions; p++) {
            names.add(String.format("part-%05d", p));
        }
        return names;
    }

    /** The lines of all {@code part-*} files of {@code out}, in file-name order. */
    static List<String> partLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : names(out)) {
            if (name.startsWith("part-")) {
                lines.addAll(Files.readAllLines(out.resolve(name)));
            }
        }
        return lines;
    }
}
