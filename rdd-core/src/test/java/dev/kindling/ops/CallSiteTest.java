package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Errors and jobs name the user's line: the operation and {@code File.java:line} of the call, found
 * on the calling thread's stack (the expected line comes from this file's own stack trace).
 */
@ExtendWith(LocalContext.class)
class CallSiteTest {

    /** The line this is called from, as the JVM reports it. */
    private static int line() {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    @Test
    void whenATransformationCapturesAnUnserializableObject_thenTheErrorNamesTheOperationLineAndClass(
            KindlingContext kc) {
        RDD<Integer> numbers = kc.parallelize(List.of(1, 2, 3), 2);
        Thread notSerializable = Thread.currentThread();
        int[] line = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            line[0] = line(); numbers.map(x -> x + notSerializable.hashCode());
        });
        assertTrue(e.getMessage().startsWith("Task not serializable: the function passed to map at CallSiteTest.java:"
                + line[0] + " captures an object of class java.lang.Thread"), e.getMessage());
        assertEquals(java.io.NotSerializableException.class, e.getCause().getClass(), "the serializer's exception");
    }

    @Test
    void whenAnActionsFunctionIsUnserializable_thenTheErrorNamesTheAction(KindlingContext kc) {
        RDD<Integer> numbers = kc.parallelize(List.of(1, 2, 3), 2);
        Thread notSerializable = Thread.currentThread();
        int[] line = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            line[0] = line(); numbers.treeAggregate(0, (a, x) -> a + x + notSerializable.hashCode(), Integer::sum);
        });
        assertTrue(e.getMessage().startsWith("Task not serializable: the function passed to treeAggregate at "
                + "CallSiteTest.java:" + line[0] + " "), e.getMessage());
    }

    @Test
    void whenAnActionRuns_thenItsJobIsNamedAfterTheActionAndTheLine(KindlingContext kc) {
        RDD<Integer> numbers = kc.parallelize(List.of(1, 2, 3, 4), 2);
        JobRecorder jobs = JobRecorder.on(kc);
        int first = line(); int sum = numbers.treeAggregate(0, Integer::sum, Integer::sum);
        int second = line(); long count = numbers.count();
        assertEquals(10, sum);
        assertEquals(4L, count);
        assertEquals(List.of("treeAggregate at CallSiteTest.java:" + first, "count at CallSiteTest.java:" + second),
                jobs.jobDescriptions());
    }
}
