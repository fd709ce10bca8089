/**
 * The block manager: cached partitions in memory and on disk, by block id.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.storage.block;
