package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.StorageLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link KindlingContext#stop()}, {@link KindlingContext#version()} and {@link KindlingContext#getPersistentRDDs()}. */
class ContextApiAdditionsTest {

    @Test
    void stopClosesTheContextAndDeletesItsScratchDirectory() {
        KindlingContext kc = Kindling.local(1);
        try {
            Path scratch = kc.localDir();
            assertEquals(3L, kc.range(0, 3).count());
            kc.stop();
            assertTrue(kc.isClosed());
            assertFalse(Files.exists(scratch), "scratch directory left behind: " + scratch);
            assertThrows(IllegalStateException.class, () -> kc.range(0, 3).count());
            kc.stop(); // idempotent, as close()
        } finally {
            kc.close();
        }
    }

    @Test
    void versionIsTheProjectVersionFromThePom() throws Exception {
        // Independent reference: the <parent><version> of this module's pom.xml (tests run in rdd-core).
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no parent version in pom.xml");
        try (KindlingContext kc = Kindling.local(1)) {
            assertFalse(kc.version().isBlank());
            assertEquals(m.group(1), kc.version());
        }
    }

    @Test
    void getPersistentRDDsListsPersistedRddsUntilUnpersisted() {
        try (KindlingContext kc = Kindling.local(1)) {
            RDD<Integer> a = kc.parallelize(List.of(1, 2, 3), 2).cache();
            RDD<Integer> b = kc.parallelize(List.of(4, 5), 1).persist(StorageLevel.MEMORY_AND_DISK);
            kc.parallelize(List.of(6), 1).count(); // never persisted
            Map<Integer, RDD<?>> persisted = kc.getPersistentRDDs();
            assertEquals(Map.of(a.id(), a, b.id(), b), persisted);
            assertThrows(UnsupportedOperationException.class, () -> persisted.remove(a.id()));
            a.unpersist();
            assertEquals(Map.of(b.id(), b), kc.getPersistentRDDs());
            assertEquals(Map.of(a.id(), a, b.id(), b), persisted, "an earlier snapshot does not change");
        }
    }
}
