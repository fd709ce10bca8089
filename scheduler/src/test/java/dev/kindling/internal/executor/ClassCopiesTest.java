package dev.kindling.internal.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/**
 * {@link ClassCopies}: one hidden copy of the template per key class, the same copy for the same
 * key, the template itself when copies are off, and a clear error when the template has no such
 * method.
 */
class ClassCopiesTest {

    private static final MethodType SELF = MethodType.methodType(Class.class);

    private static ClassCopies copies(boolean copy) {
        return new ClassCopies(MethodHandles.lookup(), CopiedTemplate.class,
                (lookup, type) -> lookup.findStatic(type, "self", SELF), copy);
    }

    private static Class<?> runIn(MethodHandle handle) throws Throwable {
        return (Class<?>) handle.invokeExact();
    }

    @Test
    void whenTwoKeyClassesAskForCopies_thenEachRunsInItsOwnHiddenClass() throws Throwable {
        ClassCopies copies = copies(true);
        Class<?> forString = runIn(copies.handleFor(String.class));
        Class<?> forInteger = runIn(copies.handleFor(Integer.class));
        assertNotSame(forString, forInteger);
        assertNotSame(CopiedTemplate.class, forString);
        assertTrue(forString.isHidden() && forInteger.isHidden(), forString + ", " + forInteger);
        assertTrue(forString.getName().startsWith(CopiedTemplate.class.getName() + "/"), forString.getName());
    }

    @Test
    void whenOneKeyClassAsksTwice_thenItGetsTheSameCopy() throws Throwable {
        ClassCopies copies = copies(true);
        assertSame(runIn(copies.handleFor(String.class)), runIn(copies.handleFor(String.class)));
    }

    @Test
    void whenTwoClassCopiesCopyOneTemplate_thenTheirCopiesDiffer() throws Throwable {
        assertNotSame(runIn(copies(true).handleFor(String.class)), runIn(copies(true).handleFor(String.class)));
    }

    @Test
    void whenCopiesAreOff_thenEveryKeyRunsTheTemplate() throws Throwable {
        ClassCopies copies = copies(false);
        Class<?> ran = runIn(copies.handleFor(String.class));
        assertSame(CopiedTemplate.class, ran);
        assertFalse(ran.isHidden());
    }

    @Test
    void whenTheTemplateLacksTheMethod_thenTheErrorNamesTemplateAndMethod() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ClassCopies(
                MethodHandles.lookup(), CopiedTemplate.class, (lookup, type) -> lookup.findStatic(type, "absent", SELF)));
        assertTrue(e.getMessage().contains(CopiedTemplate.class.getName()) && e.getMessage().contains("absent"),
                e.getMessage());
    }
}
