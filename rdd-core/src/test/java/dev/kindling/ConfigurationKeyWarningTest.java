package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.util.EditDistance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A misspelt {@code kindling.*} key is reported with the nearest known key, never ignored in silence. */
class ConfigurationKeyWarningTest {

    @Test
    void whenAKeyIsMisspelt_thenTheWarningNamesTheNearestKnownKey() {
        KindlingConf conf = new KindlingConf(Map.of("kindling.task.maxFailure", "2"));

        List<String> warnings = conf.unknownKeyWarnings();

        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("kindling.task.maxFailure "), warnings.get(0));
        assertTrue(warnings.get(0).contains("did you mean kindling.task.maxFailures?"), warnings.get(0));
    }

    @Test
    void whenTheCaseIsWrong_thenTheKeyWithTheRightCaseIsSuggested() {
        KindlingConf conf = new KindlingConf(Map.of("kindling.memory.Fraction", "0.5"));

        assertTrue(conf.unknownKeyWarnings().get(0).contains("did you mean kindling.memory.fraction?"),
                conf.unknownKeyWarnings().toString());
    }

    @Test
    void whenEveryKeyIsKnownOrOutsideTheNamespace_thenThereIsNoWarning() {
        Map<String, String> values = new java.util.HashMap<>();
        KindlingConf.KNOWN_KEYS.forEach(k -> values.put(k, "x"));
        values.put("spark.executor.memory", "1g");
        values.put("mapreduce.task.timeout", "0");

        assertEquals(List.of(), new KindlingConf(values).unknownKeyWarnings());
    }

    @Test
    void editDistanceCountsInsertsDeletesAndSubstitutions() {
        assertEquals(0, EditDistance.between("abc", "abc"));
        assertEquals(1, EditDistance.between("abc", "abcd"));
        assertEquals(1, EditDistance.between("abcd", "acd"));
        assertEquals(1, EditDistance.between("abc", "abd"));
        assertEquals(3, EditDistance.between("kitten", "sitting"));
        assertEquals(3, EditDistance.between("", "abc"));
    }
}
