/**
 * Reading and writing files: text input split by byte ranges with Hadoop's line rules, and text
 * output committed atomically the way Hadoop's FileOutputCommitter does it.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice.
 */
package dev.kindling.internal.io;
