package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated connection to a {@link TransportServer}, made by a {@link TransportClientFactory}:
 * requests with responses (matched by id, failed after {@code kindling.network.timeoutMs}), one-way
 * messages, and chunked block fetches ({@link #fetch}). Thread-safe: many threads may send requests
 * over one client at once.
 */
public final class TransportClient implements AutoCloseable {

    private final Channel channel;
    private final NetworkConfig config;
    private final Map<Long, CompletableFuture<ByteBuf>> pending;
    private final AtomicLong nextId = new AtomicLong();

    TransportClient(Channel channel, NetworkConfig config, Map<Long, CompletableFuture<ByteBuf>> pending) {
        this.channel = channel;
        this.config = config;
        this.pending = pending;
    }

    /** The server's address. */
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** Whether the connection is still open. */
    public boolean isActive() {
        return channel.isActive();
    }

    /**
     * Sends a request; the future completes with the response body, or fails with a
     * {@link RemoteFailureException} (the handler threw), an {@link RpcTimeoutException} after
     * {@code kindling.network.timeoutMs}, or an {@link IOException} (the connection closed). A body
     * larger than a frame fails at once. The future completes on a network thread: stages that block
     * must use the {@code ...Async} variants.
     */
    public CompletableFuture<byte[]> request(byte[] body) {
        return request(body, config.timeoutMs());
    }

    /** {@link #request(byte[])} with its own timeout in milliseconds (a call known to be quick, or slow). */
    public CompletableFuture<byte[]> request(byte[] body, long timeoutMs) {
        return call(FrameType.REQUEST, body, timeoutMs).thenApply(frame -> {
            try {
                return Frames.readRest(frame);
            } finally {
                frame.release();
            }
        });
    }

    /** {@link #request} and wait for the response; failures are thrown as the future's cause. */
    public byte[] requestAndWait(byte[] body) throws IOException {
        return await(request(body));
    }

    /** Sends a one-way message (no response); fails at once if the body is larger than a frame. */
    public void send(byte[] body) throws IOException {
        checkFits(body.length);
        channel.writeAndFlush(Frames.plain(channel.alloc(), FrameType.ONE_WAY, body));
    }

    /**
     * Fetches the block {@code blockId} into {@code sink} in chunks that each fit in a frame, with at most
     * {@code kindling.reducer.maxBytesInFlight} bytes requested and not yet written to the sink.
     */
    public FetchResult fetch(String blockId, OutputStream sink) throws IOException {
        return new BlockFetcher(this, config).fetch(blockId, sink);
    }

    /**
     * Fetches block {@code blockId} as {@link #fetch} does, into an array allocated once at the
     * block's size (a large block is never held twice while it arrives).
     */
    public byte[] fetchBytes(String blockId) throws IOException {
        return new BlockFetcher(this, config).fetchBytes(blockId);
    }

    /** Sends a frame of {@code type} with a fresh id and {@code payload}; the future gets the answer frame. */
    CompletableFuture<ByteBuf> call(FrameType type, byte[] payload) {
        return call(type, payload, config.timeoutMs());
    }

    private CompletableFuture<ByteBuf> call(FrameType type, byte[] payload, long timeoutMs) {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("A request timeout must be at least 1 ms (got " + timeoutMs + ")");
        }
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        try {
            checkFits(payload.length);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        long id = nextId.incrementAndGet();
        pending.put(id, result);
        ScheduledFuture<?> timer;
        try {
            timer = channel.eventLoop().schedule(() -> {
                if (pending.remove(id, result)) {
                    result.completeExceptionally(new RpcTimeoutException("No response to " + type + " " + id + " from "
                            + remoteAddress() + " within " + timeoutMs + " ms (" + NetworkConfig.TIMEOUT_MS + "="
                            + config.timeoutMs() + "); the server may be overloaded or stuck (raise the timeout if its work is slow)"));
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            result.completeExceptionally(new IOException("The client for " + remoteAddress()
                    + " is closed (its TransportClientFactory was closed)", e));
            return result;
        }
        result.whenComplete((r, e) -> timer.cancel(false));
        channel.writeAndFlush(Frames.withId(channel.alloc(), type, id, payload)).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id, result)) {
                result.completeExceptionally(new IOException("Cannot send to " + remoteAddress() + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        if (!channel.isActive() && pending.remove(id, result)) {
            result.completeExceptionally(new IOException("The connection to " + remoteAddress() + " is closed"));
        }
        return result;
    }

    private void checkFits(int bodyBytes) throws IOException {
        int max = config.maxFrameBytes() - Frames.MESSAGE_OVERHEAD;
        if (bodyBytes > max) {
            throw new IOException("A message of " + bodyBytes + " bytes does not fit in a frame (at most " + max
                    + " with " + NetworkConfig.MAX_FRAME_BYTES + "=" + config.maxFrameBytes()
                    + "); serve large data as a block and fetch it in chunks");
        }
    }

    /** Waits for {@code f}; its failure's cause is thrown as it is when it is an {@link IOException}. */
    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for a response");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Closes the connection; waiting requests fail. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
