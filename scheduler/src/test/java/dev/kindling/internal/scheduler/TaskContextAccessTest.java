package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskMetrics;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the executor sets on a task's context goes through {@link TaskContextAccess}, not TaskContext's public API. */
class TaskContextAccessTest {

    @Test
    void taskContextsPublicMethodsAreOnlyWhatATaskUses() {
        Set<String> setters = Set.of("set", "kill", "runCompletionListeners", "closureMode", "setClosureMode",
                "closureCopy", "putClosureCopy", "setLocalProperties");
        Set<String> exposed = Arrays.stream(TaskContext.class.getMethods()).map(Method::getName)
                .filter(setters::contains).collect(Collectors.toSet());
        assertEquals(Set.of(), exposed, "executor-side setters on TaskContext's public surface");
        assertFalse(Arrays.stream(TaskMetrics.class.getMethods()).anyMatch(m -> m.getName().equals("setRunNanos")));
    }

    @Test
    void theAccessSetsWhatTasksThenSee() {
        TaskContext context = new TaskContext(1, 2, 0, 3, 0, 42L);
        TaskContextAccess access = TaskContextAccess.get();
        access.setCurrent(context);
        try {
            assertSame(context, TaskContext.get());
            access.setLocalProperties(context, Map.of("k", "v"));
            assertEquals("v", context.getLocalProperty("k"));
            assertFalse(context.isKilled());
            access.kill(context);
            assertTrue(context.isKilled());
            access.setClosureMode(context, TaskClosure.Mode.SHARE);
            assertEquals(TaskClosure.Mode.SHARE, access.closureMode(context));
            access.setRunNanos(context.metrics(), 1234);
            assertEquals(1234, context.metrics().runNanos());
        } finally {
            access.setCurrent(null);
        }
        assertNull(TaskContext.get());
    }

    @Test
    void accessCannotBeReplaced() {
        TaskContextAccess.get();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskContextAccess.install(null));
        assertTrue(e.getMessage().contains("installed once, by TaskContext's static initializer"), e.getMessage());
    }
}
