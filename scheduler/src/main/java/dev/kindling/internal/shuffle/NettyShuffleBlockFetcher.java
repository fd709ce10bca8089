package dev.kindling.internal.shuffle;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.FetchResult;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches shuffle blocks over the network layer: one authenticated connection per remote executor,
 * kept and shared by the task threads, each block fetched in chunks by
 * {@link TransportClient#fetch} with at most {@code kindling.reducer.maxBytesInFlight} bytes
 * requested and not yet received. A connection that closed is made again on the next fetch.
 * {@link #close()} closes every connection and the client threads.
 */
public final class NettyShuffleBlockFetcher implements ShuffleBlockFetcher, AutoCloseable {

    private final TransportClientFactory clients;
    private final ConcurrentHashMap<InetSocketAddress, TransportClient> connections = new ConcurrentHashMap<>();
    private final AtomicLong maxInFlight = new AtomicLong();

    /** A fetcher whose connections use {@code config} and prove knowledge of {@code secret}. */
    public NettyShuffleBlockFetcher(NetworkConfig config, AppSecret secret) {
        this.clients = TransportClientFactory.create(config, secret);
    }

    @Override
    public byte[] fetch(ExecutorLocation location, String blockId) throws IOException {
        if (location.port() == 0) {
            throw new IOException("Cannot fetch " + blockId + " from " + location + ": that executor runs no block "
                    + "server (port 0)");
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FetchResult result = client(location).fetch(blockId, sink);
        maxInFlight.accumulateAndGet(result.maxBytesInFlight(), Math::max);
        return sink.toByteArray();
    }

    /** The most bytes any one fetch had requested and not yet received at a time (for tests and metrics). */
    public long maxBytesInFlightSeen() {
        return maxInFlight.get();
    }

    private TransportClient client(ExecutorLocation location) throws IOException {
        InetSocketAddress address = new InetSocketAddress(location.host(), location.port());
        TransportClient client = connections.get(address);
        if (client != null && client.isActive()) {
            return client;
        }
        synchronized (this) {
            client = connections.get(address);
            if (client == null || !client.isActive()) {
                client = clients.connect(address);
                connections.put(address, client);
            }
            return client;
        }
    }

    /** Closes every connection and stops the client threads. */
    @Override
    public void close() {
        connections.clear();
        clients.close();
    }
}
