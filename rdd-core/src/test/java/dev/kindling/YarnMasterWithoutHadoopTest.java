package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code master yarn} where only hadoop-client-api is on the class path (this module's provided scope,
 * without hadoop-client-runtime): the context fails at once, saying which jars to add and how, and
 * leaves no scratch directory behind. (YarnClusterTest runs yarn with Hadoop's jars.)
 */
class YarnMasterWithoutHadoopTest {

    @TempDir
    Path local;

    @Test
    void masterYarnWithoutHadoopsClientRuntime_failsNamingTheJarsToAdd() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kindling.builder().master("yarn")
                .config(KindlingConf.LOCAL_DIR, local.toString()).build().close());
        assertTrue(e.getMessage().contains("master yarn needs Hadoop's client jars (hadoop-client-api and"
                + " hadoop-client-runtime) on the class path: set HADOOP_HOME"), e.getMessage());
        try (Stream<Path> left = Files.list(local)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
