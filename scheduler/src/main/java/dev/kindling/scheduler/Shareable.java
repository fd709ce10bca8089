package dev.kindling.scheduler;

/**
 * Marks an object that tasks may share with the driver instead of getting their own copy, because
 * nothing a task can observe through it ever changes: a read-only handle such as
 * {@link dev.kindling.Broadcast}. Functions that capture only such objects (and strings, numbers,
 * other immutable values) are not copied per task, so tiny jobs pay nothing for copying.
 *
 * <p>Implement it only for handles whose observable state is fixed; a mutable object marked
 * shareable would let one task see another's changes.
 */
public interface Shareable {
}
