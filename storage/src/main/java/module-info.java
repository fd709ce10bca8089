/**
 * Kindling's blocks and bytes. The API package {@code dev.kindling.storage} holds what a user touches
 * (storage levels, the Kryo registrator hook, exceptions a job may fail with); everything else is
 * internal and exported only to Kindling's own modules.
 */
module dev.kindling.storage {
    // KryoRegistrator.registerClasses takes a Kryo, so users of the API read Kryo too.
    requires transitive com.esotericsoftware.kryo;
    requires com.esotericsoftware.minlog;
    requires org.objenesis;
    requires org.slf4j;
    // The network layer (internal.network): transport, frames and buffers.
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.transport;

    exports dev.kindling.storage;

    exports dev.kindling.internal.storage.block to dev.kindling.scheduler, dev.kindling.core;
    exports dev.kindling.internal.storage.io to dev.kindling.scheduler, dev.kindling.core;
    exports dev.kindling.internal.storage.memory to dev.kindling.scheduler, dev.kindling.core;
    exports dev.kindling.internal.storage.serializer to dev.kindling.scheduler, dev.kindling.core;
    // Not used outside storage yet: the driver/executor RPC of the coming cluster mode builds on it.
    exports dev.kindling.internal.network to dev.kindling.scheduler, dev.kindling.core;
}
