/**
 * Kindling's user API: {@link dev.kindling.Kindling} and {@link dev.kindling.KindlingContext} to
 * start, {@link dev.kindling.RDD}, {@link dev.kindling.PairRDD} and {@link dev.kindling.DoubleRDD}
 * to compute, broadcast variables and accumulators. Functions are in {@code dev.kindling.function};
 * partitioners, the task context and listener events in {@code dev.kindling.scheduler}; storage
 * levels in {@code dev.kindling.storage}. Everything under {@code dev.kindling.internal} is not API.
 *
 * <p>The package-private classes here (Actions, Transformations, Accumulators, BroadcastManager,
 * CheckpointState, ContextCleaner, ContextShutdownHook, DebugString, ExtraListeners,
 * JobPreparation, LocalProperties, PersistentRdds, ScratchDirectory) are the API classes' own
 * implementation; they stay package-private here because moving them would make their members public.
 *
 * <p>Package cycles kept on purpose, each for a reason: with {@code dev.kindling.internal.rdd} and
 * {@code dev.kindling.internal.io}, because {@code RDD}'s transformations and the context's sources
 * create the RDD implementations there, which extend {@code RDD} (as in Spark); with
 * {@code dev.kindling.internal}, because {@code ContextInternals} is the handle to a context's
 * internals and {@code KindlingContext} installs it; with {@code dev.kindling.function}, because
 * {@code PairFunction} and {@code PairFlatMapFunction} return {@link dev.kindling.Pair}.
 */
package dev.kindling;
