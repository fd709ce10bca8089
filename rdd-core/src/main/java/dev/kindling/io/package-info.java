/**
 * Reading and writing files: text input split by byte ranges with Hadoop's line rules, and text
 * output committed atomically the way Hadoop's FileOutputCommitter does it.
 */
package dev.kindling.io;
