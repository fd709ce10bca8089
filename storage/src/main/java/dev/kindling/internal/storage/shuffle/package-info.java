/**
 * Shuffle output: map outputs kept in memory and spilled to disk, read back by reducers.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.storage.shuffle;
