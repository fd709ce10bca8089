package dev.kindling.internal.scheduler;

/**
 * A handle of a broadcast variable, as tasks' functions capture it. When the scheduler serializes a
 * stage's task binary it records the id of every such handle written, and each task description of
 * the stage carries those ids: the broadcasts the task can reach (it can reach no other, since it sees
 * only what its binary holds). A cluster backend remembers which executors were sent which ids, to ask
 * exactly those to drop a copy when the broadcast is unpersisted or destroyed.
 */
public interface BroadcastReference {

    /** The broadcast variable's id, unique within its context. */
    long id();
}
