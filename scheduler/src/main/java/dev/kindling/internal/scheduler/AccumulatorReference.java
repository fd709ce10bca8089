package dev.kindling.internal.scheduler;

import java.io.Serializable;

/**
 * The id of an accumulator as the copy a task receives carries it: the zero-valued copy that a
 * registered accumulator ships in its place holds one (a private field, serialized with it). When the
 * scheduler serializes a stage's task binary it records the id of every reference written, and each
 * task description of the stage carries those ids: the accumulators the task can update (it can
 * update no other, since it sees only what its binary holds), as {@link BroadcastReference} does for
 * broadcasts.
 *
 * @param id the accumulator's id
 */
public record AccumulatorReference(long id) implements Serializable {
    private static final long serialVersionUID = 1L;
}
