/**
 * Reading and writing files on file systems other than the local disk ({@code hdfs://},
 * {@code s3a://}, ...) through Hadoop's {@code FileSystem} API. The only package that refers to
 * Hadoop's classes, which are optional: compiled against {@code hadoop-client-api} (provided
 * scope) and loaded only when a path with such a scheme is used and Hadoop's jars are on the class
 * path (see {@link dev.kindling.internal.io.PathSchemes}).
 *
 * <p><b>Not a part of the public API</b>: these classes can change or disappear without notice.
 */
package dev.kindling.internal.hadoop;
