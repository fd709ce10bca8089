package dev.kindling.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link EveryContextConfiguration} runs the class once per configuration, with that configuration's settings. */
@EveryContextConfiguration
class ContextConfigurationsAppliedTest {

    private static final Set<ContextConfiguration> SEEN = EnumSet.noneOf(ContextConfiguration.class);

    @Test
    void theContextHasTheConfigurationsSettings(KindlingContext kc, ContextConfiguration cfg) {
        cfg.settings().forEach((k, v) -> assertEquals(v, kc.getConf().get(k, null), k));
        SEEN.add(cfg);
    }

    @AfterAll
    static void everyConfigurationRan() {
        // Runs after each class-template invocation: the configurations seen so far are a prefix of all.
        Set<ContextConfiguration> expected = EnumSet.noneOf(ContextConfiguration.class);
        for (ContextConfiguration c : ContextConfiguration.values()) {
            if (expected.size() < SEEN.size()) {
                expected.add(c);
            }
        }
        assertEquals(expected, SEEN);
    }
}
