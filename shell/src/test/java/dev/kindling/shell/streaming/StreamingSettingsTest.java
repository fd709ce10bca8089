package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry of streaming settings is consistent: every key in exactly one class, every deprecated name mapped to a known one. */
class StreamingSettingsTest {

    @Test
    void everyDeprecatedNameStandsForASettingTheRunnerClassifies() {
        for (Map.Entry<String, String> e : StreamingSettings.deprecatedNames().entrySet()) {
            String current = e.getValue();
            int classes = (StreamingSettings.IMPLEMENTED.contains(current) ? 1 : 0)
                    + (StreamingSettings.NO_EFFECT.contains(current) ? 1 : 0)
                    + (StreamingSettings.unsupported(current) ? 1 : 0);
            assertEquals(1, classes, e.getKey() + " -> " + current);
            assertEquals(current, StreamingSettings.canonical(e.getKey()));
        }
    }

    @Test
    void noSettingIsBothImplementedAndIgnoredOrUnsupported() {
        for (String key : StreamingSettings.IMPLEMENTED) {
            assertFalse(StreamingSettings.NO_EFFECT.contains(key), key);
            assertFalse(StreamingSettings.unsupported(key), key);
        }
        for (String key : StreamingSettings.NO_EFFECT) {
            assertFalse(StreamingSettings.unsupported(key), key);
        }
    }

    @Test
    void misspellingsFindTheNearestSettingAndUnrelatedKeysNone() {
        assertEquals("mapreduce.job.reduces", StreamingSettings.nearest("mapreduce.job.reduce"));
        assertEquals("stream.num.map.output.key.fields", StreamingSettings.nearest("stream.num.map.output.keyfields"));
        assertEquals("mapreduce.partition.keycomparator.options",
                StreamingSettings.nearest("mapreduce.partition.keycomparator.option"));
        assertNull(StreamingSettings.nearest("my.own.flag"));
        assertTrue(StreamingSettings.known().contains("mapred.text.key.partitioner.options"));
    }
}
