/**
 * Scratch files under {@code kindling.local.dir}: the checksummed framing that shuffle files, spill
 * runs and cached disk blocks are written in, and the errors their writes and reads report (a full
 * disk, a corrupted file), each naming the file and the kind of file.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice.
 */
package dev.kindling.internal.storage.io;
