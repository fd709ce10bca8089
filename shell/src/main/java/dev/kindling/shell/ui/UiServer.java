package dev.kindling.shell.ui;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's HTTP server, on Netty's HTTP codec: binds the first free port of {@code port},
 * {@code port + 1}, ... ({@value #PORT_TRIES} tries; port 0 takes any free port), answers each
 * request through a {@link UiRouter} on one daemon thread ({@code kindling-ui-N}) and closes the
 * connection after the answer. Every answer forbids framing and sniffing and allows scripts and
 * styles only from the UI itself (a Content-Security-Policy), on top of the escaping of every page.
 * {@link #close()} closes the port and stops the thread.
 */
final class UiServer implements AutoCloseable {

    /** Ports tried, from the configured one up. */
    static final int PORT_TRIES = 16;
    /** Largest request body accepted (kill forms are tiny). */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final InetSocketAddress address;

    private UiServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.localAddress();
    }

    /**
     * Starts serving {@code router} on {@code host}.
     *
     * @throws IOException when none of the ports can be bound (naming the range and the key to change)
     */
    static UiServer start(InetAddress host, int port, UiRouter router) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kindling-ui", true),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Handler(router));
                    }
                });
        IOException last = null;
        int tries = port == 0 ? 1 : PORT_TRIES;
        for (int i = 0; i < tries; i++) {
            try {
                Channel ch = bootstrap.bind(host, port + i).syncUninterruptibly().channel();
                return new UiServer(group, ch);
            } catch (Exception e) {
                if (!(e instanceof BindException) && !(e.getCause() instanceof BindException)) {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                    throw new IOException("Cannot start the Kindling UI on " + host.getHostAddress() + ":" + (port + i)
                            + ": " + e, e);
                }
                last = e instanceof IOException io ? io : new IOException(e);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        throw new IOException("Ports " + port + " to " + (port + tries - 1) + " of " + host.getHostAddress()
                + " are all taken; set kindling.ui.port to a free one (0: any)", last);
    }

    /** The bound port. */
    int port() {
        return address.getPort();
    }

    /** The base URL, such as {@code http://127.0.0.1:4040}. */
    String url() {
        String h = address.getAddress().getHostAddress();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    @Override
    public void close() {
        try {
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Turns Netty requests into {@link UiRequest}s and the router's answers into responses. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final UiRouter router;

        Handler(UiRouter router) {
            this.router = router;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            UiResponse answer;
            if (!req.decoderResult().isSuccess()) {
                answer = UiResponse.error(400, "Malformed HTTP request: " + req.decoderResult().cause());
            } else {
                try {
                    String body = req.content().toString(StandardCharsets.UTF_8);
                    UiRequest r = UiRequest.of(req.method().name(), req.uri(), body,
                            req.headers().get(HttpHeaderNames.HOST), req.headers().get(HttpHeaderNames.COOKIE),
                            req.headers().get(HttpHeaderNames.AUTHORIZATION));
                    answer = router.handle(r);
                    if (r.method().equals("HEAD")) {
                        answer = new UiResponse(answer.status(), answer.contentType(), new byte[0], answer.headers());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("The Kindling UI failed to answer {} {}", req.method(), req.uri(), e);
                    answer = UiResponse.error(500, "The UI failed to build this page: " + e
                            + " (the application's log has the stack trace)");
                }
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                    .set(HttpHeaderNames.CONNECTION, "close")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
            for (Map.Entry<String, String> h : answer.headers().entrySet()) {
                res.headers().set(h.getKey(), h.getValue());
            }
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that went away, a reset connection: nothing to answer
        }
    }
}
