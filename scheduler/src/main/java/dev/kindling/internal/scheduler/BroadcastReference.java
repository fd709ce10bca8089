package dev.kindling.internal.scheduler;

import java.io.Serializable;

/**
 * The id of a broadcast variable as its handle carries it into tasks' functions: a broadcast handle
 * holds one (a private field, so it is serialized with the handle). When the scheduler serializes a
 * stage's task binary it records the id of every reference written, and each task description of the
 * stage carries those ids: the broadcasts the task can reach (it can reach no other, since it sees only
 * what its binary holds). A cluster backend remembers which executors were sent which ids, to ask
 * exactly those to drop a copy when the broadcast is unpersisted or destroyed.
 *
 * @param id the broadcast variable's id, unique within its context
 */
public record BroadcastReference(long id) implements Serializable {
    private static final long serialVersionUID = 1L;
}
