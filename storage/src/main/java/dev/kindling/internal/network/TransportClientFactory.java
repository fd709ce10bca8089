package dev.kindling.internal.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes authenticated {@link TransportClient}s; owns the event loop they share. {@link #close()}
 * closes every client it made and stops its threads.
 */
public final class TransportClientFactory implements AutoCloseable {

    private final NetworkConfig config;
    private final AppSecret secret;
    private final EventLoopGroup group;
    private final Set<TransportClient> clients = ConcurrentHashMap.newKeySet();

    private TransportClientFactory(NetworkConfig config, AppSecret secret, EventLoopGroup group) {
        this.config = config;
        this.secret = secret;
        this.group = group;
    }

    /** A factory whose clients use {@code config} and prove knowledge of {@code secret}. */
    public static TransportClientFactory create(NetworkConfig config, AppSecret secret) {
        return new TransportClientFactory(config, secret, new MultiThreadIoEventLoopGroup(2,
                new DefaultThreadFactory("kindling-net-client", true), NioIoHandler.newFactory()));
    }

    /**
     * Connects to {@code address} and completes the handshake; returns a client ready for requests.
     * A server that does not answer, does not know the secret, or refuses ours is an
     * {@link IOException} ({@link AuthenticationException} for the handshake) naming the address.
     */
    public TransportClient connect(InetSocketAddress address) throws IOException {
        ConcurrentHashMap<Long, CompletableFuture<ByteBuf>> pending = new ConcurrentHashMap<>();
        FrameDecoder decoder = new FrameDecoder(config.maxFrameBytes());
        ClientAuthHandler auth = new ClientAuthHandler(secret, decoder, config);
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast("frames", decoder)
                                .addLast("auth", auth)
                                .addLast("responses", new ClientResponseHandler(pending));
                    }
                })
                .connect(address)
                .awaitUninterruptibly();
        if (!connected.isSuccess()) {
            throw new IOException("Cannot connect to " + address + ": " + connected.cause().getMessage()
                    + " (is the server running, and listening on that address?)", connected.cause());
        }
        Channel channel = connected.channel();
        try {
            TransportClient.await(auth.result());
        } catch (IOException e) {
            channel.close().syncUninterruptibly();
            throw e;
        }
        TransportClient client = new TransportClient(channel, config, pending);
        clients.add(client);
        channel.closeFuture().addListener(f -> clients.remove(client));
        return client;
    }

    /** Closes every client made here and stops the event loop. */
    @Override
    public void close() {
        for (TransportClient c : clients) {
            c.close();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
