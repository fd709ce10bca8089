package dev.kindling.internal.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server that answers authenticated peers: requests and one-way messages through an
 * {@link RpcHandler}, chunked block fetches from a {@link BlockSource}. It binds to the loopback
 * address unless {@link NetworkConfig#bindHost()} names another, and every connection goes through
 * the {@link Handshake} before any other frame is looked at. {@link #close()} closes every connection,
 * stops the event loops and handler threads, and frees the port.
 *
 * <pre>
 *   bytes -> FrameDecoder -> ServerAuthHandler -> ServerDispatcher -> handler threads -> RpcHandler / BlockSource
 *            (length, limit)  (handshake; then      (requests, fetches)
 *                              removes itself)
 * </pre>
 */
public final class TransportServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final ExecutorService handlerThreads;
    private final ChannelGroup channels;
    private final Channel serverChannel;

    private TransportServer(EventLoopGroup group, ExecutorService handlerThreads, ChannelGroup channels, Channel serverChannel) {
        this.group = group;
        this.handlerThreads = handlerThreads;
        this.channels = channels;
        this.serverChannel = serverChannel;
    }

    /**
     * Starts a server on {@code port} (0 for any free port) with {@code handlerThreadCount} threads for
     * the handler and block source; returns once it is bound and accepting. A port in use or a bad
     * host is an {@link IOException} naming the address.
     */
    public static TransportServer start(NetworkConfig config, AppSecret secret, int port, int handlerThreadCount,
                                        RpcHandler handler, BlockSource blocks) throws IOException {
        if (handlerThreadCount < 1) {
            throw new IllegalArgumentException("handlerThreadCount must be at least 1 (got " + handlerThreadCount + ")");
        }
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), port);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("kindling-net-server", true),
                NioIoHandler.newFactory());
        ExecutorService threads = Executors.newFixedThreadPool(handlerThreadCount,
                new DefaultThreadFactory("kindling-rpc-handler", true));
        ChannelGroup channels = new DefaultChannelGroup("kindling-server-connections", group.next());
        ServerDispatcher dispatcher = new ServerDispatcher(handler, blocks, threads, config);
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            channels.add(c);
                            FrameDecoder decoder = new FrameDecoder(config.maxFrameBytes());
                            c.pipeline().addLast("frames", decoder)
                                    .addLast("auth", new ServerAuthHandler(secret, decoder, config))
                                    .addLast("dispatch", dispatcher);
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            return new TransportServer(group, threads, channels, ch);
        } catch (RuntimeException e) {
            shutdown(group, threads);
            throw new IOException("Cannot start a server on " + address + ": " + e.getMessage()
                    + " (a port in use, or a host that is not an address of this machine)", e);
        }
    }

    /** The address the server listens on (its port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes the listening socket and every connection, and stops all threads of this server. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly();
        shutdown(group, handlerThreads);
    }

    private static void shutdown(EventLoopGroup group, ExecutorService threads) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
