package dev.kindling.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalContext.class)
class ObjectFileTest {

    record Reading(String sensor, double[] values, Optional<String> note) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Reading r && r.sensor.equals(sensor) && java.util.Arrays.equals(r.values, values)
                    && r.note.equals(note);
        }

        @Override
        public int hashCode() {
            return sensor.hashCode();
        }
    }

    @TempDir
    Path dir;

    @Test
    void objectsSurviveASaveAndLoadInOrder(KindlingContext kc) throws Exception {
        List<Pair<Integer, Reading>> data = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            data.add(Pair.of(i, new Reading("s" + (i % 13), new double[] {i, i / 2.0}, i % 3 == 0 ? Optional.empty() : Optional.of("n" + i))));
        }
        data.add(Pair.of(null, null));
        Path out = dir.resolve("objects");
        kc.parallelize(data, 4).saveAsObjectFile(out.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002", "part-00003"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        RDD<Pair<Integer, Reading>> back = kc.objectFile(out.toString());
        assertEquals(4, back.getNumPartitions());
        assertEquals(data, back.collect());
    }

    @Test
    void whenTheOutputExists_thenSavingFailsAndAFailedJobLeavesNoOutput(KindlingContext kc) {
        Path out = dir.resolve("exists");
        kc.parallelize(List.of(1, 2, 3), 2).saveAsObjectFile(out.toString());
        assertThrows(IllegalStateException.class, () -> kc.parallelize(List.of(1), 1).saveAsObjectFile(out.toString()));
        Path failed = dir.resolve("failed");
        assertThrows(RuntimeException.class, () -> kc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
            if (x == 4) {
                throw new IllegalArgumentException("boom");
            }
            return x;
        }).saveAsObjectFile(failed.toString()));
        assertFalse(Files.exists(failed));
    }
}
