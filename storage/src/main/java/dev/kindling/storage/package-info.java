/**
 * The storage types a user touches: {@link dev.kindling.storage.StorageLevel} for {@code persist},
 * {@link dev.kindling.storage.KryoRegistrator} to register classes with Kryo, and the exceptions a
 * job may fail with (memory limit, full disk, corrupt file, serialization) or that mark a failure
 * as not worth retrying ({@link dev.kindling.storage.NotRetryable}).
 */
package dev.kindling.storage;
