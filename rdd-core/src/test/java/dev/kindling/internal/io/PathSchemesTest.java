package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which typed paths are local (and what local path they name) and which name another file system. */
class PathSchemesTest {

    @ParameterizedTest(name = "{0} is the local path {1}")
    @CsvSource(delimiter = '|', value = {
        "out|out",
        "/tmp/x|/tmp/x",
        "data/a:b.txt|data/a:b.txt",
        "./a:b.txt|./a:b.txt",
        "/tmp/a:b/c|/tmp/a:b/c",
        "1a:/x|1a:/x",
        "_x:/y|_x:/y",
        "file:///tmp/x|/tmp/x",
        "FILE:///tmp/x|/tmp/x",
        "file:/tmp/x|/tmp/x",
        "file:rel/x|rel/x",
    })
    void whenThePathHasNoSchemeOrTheFileScheme_thenItIsLocal(String typed, String local) {
        assertEquals(local, PathSchemes.localPath(typed, "Input path"));
    }

    @ParameterizedTest(name = "{0} names another file system")
    @ValueSource(strings = {"hdfs:///x", "hdfs://namenode:8020/user/x", "s3a://bucket/x", "viewfs://cluster/x",
        "HDFS:///x", "my+fs.v-2:/x", "hdfs:///in/*.txt"})
    void whenThePathHasAnotherScheme_thenTheErrorNamesTheRoleThePathAndTheScheme(String typed) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathSchemes.localPath(typed, "Output path"));
        String scheme = typed.substring(0, typed.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
        assertTrue(e.getMessage().startsWith("Output path " + typed + " names the \"" + scheme + ":\" file system"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nothing was read or written"), e.getMessage());
        assertTrue(e.getMessage().contains("hdfs dfs -get"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is ambiguous")
    @ValueSource(strings = {"hdfs:x", "a:b.txt", "s3a:bucket"})
    void whenASchemeIsNotFollowedByASlash_thenThePathIsRejectedWithBothSpellings(String typed) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathSchemes.localPath(typed, "Input path"));
        String scheme = typed.substring(0, typed.indexOf(':'));
        assertTrue(e.getMessage().contains("Write ./" + typed + " for a local file"), e.getMessage());
        assertTrue(e.getMessage().contains(scheme + ":///" + typed.substring(scheme.length() + 1)), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void whenHadoopIsMissing_thenTheErrorSaysWhichJarsItNeeds_andWhenPresent_whatItIsUsedFor() {
        String missing = PathSchemes.unsupported("Input path", "hdfs:///x", "hdfs", false);
        String present = PathSchemes.unsupported("Input path", "hdfs:///x", "hdfs", true);

        assertTrue(missing.contains("$(hadoop classpath)") && missing.contains("HADOOP_HOME")
                && missing.contains("hadoop-client-runtime"), missing);
        assertFalse(missing.contains("\n"), "one line: " + missing);
        assertTrue(present.contains("is on the class path, but Input path is read only from the local disk"), present);
        assertFalse(present.contains("HADOOP_HOME"), present);
        // This class path has only hadoop-client-api (provided scope), not a working client: "missing".
        assertFalse(PathSchemes.hadoopOnClassPath());
        assertFalse(PathSchemes.viaHadoop("hdfs:///x"));
    }
}
