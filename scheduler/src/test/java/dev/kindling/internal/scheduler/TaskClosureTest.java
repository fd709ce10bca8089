package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.TaskContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskClosureTest {

    interface Fn extends Serializable {
        int apply(int x);
    }

    /** Serializable, all fields final: immutable when its values are. */
    record Box(String label, Object payload) implements Serializable {
    }

    /** Serializable but with a non-final field: mutable. */
    static final class Counter implements Serializable {
        int n;
    }

    /** All fields final, but one transient: a copy would lose it, so it must be copied. */
    static final class WithTransient implements Serializable {
        final transient Object cache = new Object();
    }

    private static TaskContext attempt(int jobId, TaskClosure.Mode mode) {
        TaskContext c = new TaskContext(jobId, 0, 0, 0, 0, jobId * 100L);
        TaskContextAccess.get().setClosureMode(c, mode);
        return c;
    }

    @Test
    void whenAFunctionCapturesNothingOrOnlyValues_thenItCountsAsImmutable() {
        String label = "x";
        int k = 3;
        Fn plain = x -> x + 1;
        Fn capturing = x -> x + k + label.length();
        Fn nested = x -> plain.apply(capturing.apply(x));
        Box box = new Box("a", List.of());
        assertTrue(ImmutableGraph.isImmutable(plain));
        assertTrue(ImmutableGraph.isImmutable(capturing));
        assertTrue(ImmutableGraph.isImmutable(nested));
        assertFalse(ImmutableGraph.isImmutable(box), "List.of is a JDK-internal class we cannot inspect");
        assertTrue(ImmutableGraph.isImmutable(new Box("a", 5L)));
    }

    @Test
    void whenAFunctionCapturesAnArrayOrAMutableObject_thenItCountsAsMutable() {
        int[] counts = {0};
        Counter counter = new Counter();
        Fn array = x -> counts[0]++;
        Fn object = x -> counter.n++;
        Fn nested = x -> array.apply(x);
        assertFalse(ImmutableGraph.isImmutable(array));
        assertFalse(ImmutableGraph.isImmutable(object));
        assertFalse(ImmutableGraph.isImmutable(nested));
        assertFalse(ImmutableGraph.isImmutable(new ArrayList<>()));
        assertFalse(ImmutableGraph.isImmutable(new WithTransient()));
    }

    @Test
    void whenCopying_thenEachAttemptGetsOneCopyOfAMutableFunctionAndTheDriverKeepsTheOriginal() {
        int[] counts = {0};
        Fn f = x -> counts[0] += x;
        TaskClosure<Fn> closure = TaskClosure.perJob(f);
        TaskContext first = attempt(1, TaskClosure.Mode.COPY);
        TaskContext second = attempt(1, TaskClosure.Mode.COPY);
        Fn a = closure.get(first);
        assertNotSame(f, a);
        assertSame(a, closure.get(first));
        assertEquals(5, a.apply(5));
        assertEquals(7, closure.get(first).apply(2));
        assertEquals(2, closure.get(second).apply(2));
        assertSame(f, closure.get(null));
        assertEquals(0, counts[0]);
    }

    @Test
    void whenAJobStarts_thenItsTasksSeeTheCapturedStateAsItIsThen() {
        int[] base = {10};
        TaskClosure<Fn> closure = TaskClosure.perJob(x -> base[0] + x);
        assertEquals(11, closure.get(attempt(1, TaskClosure.Mode.COPY)).apply(1));
        base[0] = 20;
        assertEquals(11, closure.get(attempt(1, TaskClosure.Mode.COPY)).apply(1), "same job: same snapshot");
        assertEquals(21, closure.get(attempt(2, TaskClosure.Mode.COPY)).apply(1), "next job: new snapshot");
    }

    @Test
    void whenImmutableOrShared_thenTasksGetTheOriginalUnlessCopyingAlways() {
        Fn plain = x -> x * 2;
        int[] counts = {0};
        Fn mutable = x -> counts[0]++;
        assertSame(plain, TaskClosure.perJob(plain).get(attempt(1, TaskClosure.Mode.COPY)));
        assertSame(mutable, TaskClosure.perJob(mutable).get(attempt(1, TaskClosure.Mode.SHARE)));
        Fn copied = TaskClosure.perJob(plain).get(attempt(1, TaskClosure.Mode.COPY_ALWAYS));
        assertNotSame(plain, copied);
        assertEquals(8, copied.apply(4));
    }

    @Test
    void aJobFunctionSnapshotIsTakenOnceWhenMadeAndLaterChangesAreNotSeen() {
        int[] base = {1};
        TaskClosure<Fn> closure = TaskClosure.snapshotNow(x -> base[0] + x, TaskClosure.Mode.COPY);
        base[0] = 50;
        assertEquals(2, closure.get(attempt(1, TaskClosure.Mode.COPY)).apply(1));
        assertEquals(2, closure.get(attempt(2, TaskClosure.Mode.COPY)).apply(1));
        Fn plain = x -> x;
        assertEquals(3, TaskClosure.snapshotNow(plain, TaskClosure.Mode.SHARE)
                .get(attempt(1, TaskClosure.Mode.COPY_ALWAYS)).apply(3), "a holder made to share can still copy");
    }

    @Test
    void whenAJobFunctionCannotBeSerialized_thenSnapshotNowSaysSoAndHowToFixIt() {
        Object notSerializable = new Object();
        Fn f = x -> notSerializable.hashCode();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskClosure.snapshotNow(f, TaskClosure.Mode.COPY));
        assertTrue(e.getMessage().startsWith("Task not serializable"), e.getMessage());
        assertTrue(e.getMessage().contains("kindling.closure.copyPerTask=false"), e.getMessage());
    }

    @Test
    void modesParseFromConfigurationValues() {
        assertEquals(TaskClosure.Mode.COPY, TaskClosure.Mode.parse("k", "true"));
        assertEquals(TaskClosure.Mode.SHARE, TaskClosure.Mode.parse("k", "FALSE"));
        assertEquals(TaskClosure.Mode.COPY_ALWAYS, TaskClosure.Mode.parse("k", " always "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskClosure.Mode.parse("kindling.closure.copyPerTask", "yes"));
        assertEquals("kindling.closure.copyPerTask must be true, false or always (got \"yes\")", e.getMessage());
    }
}
