/**
 * The network layer the coming cluster mode is built on: authenticated, framed connections over
 * Netty with request/response RPC, one-way messages and chunked block fetch. Not a part of the public
 * API; it can change without notice. Nothing here knows about tasks, RDDs or the scheduler.
 *
 * <h2>Frames</h2>
 * <pre>
 *   +----------------+-----------+---------------------------------------------+
 *   | length (int32) | type (u8) | payload (length - 1 bytes)                  |
 *   +----------------+-----------+---------------------------------------------+
 * </pre>
 * The length counts the type byte and the payload: 1 to {@code kindling.network.maxFrameBytes}
 * (16 MiB); before authentication at most 128, so an unauthenticated peer cannot make a server buffer
 * more. A bad length closes the connection before the frame is read. Types ({@link
 * dev.kindling.internal.network.FrameType}): the four handshake frames, then REQUEST / RESPONSE / ERROR
 * (8-byte request id first), ONE_WAY, BLOCK_SIZE_REQUEST, CHUNK_REQUEST (id, offset, length, block id)
 * and CHUNK (id, bytes). Responses are matched to requests by id, so a connection carries many
 * requests at once and answers may come in any order.
 *
 * <h2>Handshake: no door without a key</h2>
 * Every connection starts with a mutual challenge-response over the application's {@link
 * dev.kindling.internal.network.AppSecret} (see {@link dev.kindling.internal.network.Handshake}):
 * both sides send fresh 256-bit nonces and prove knowledge of the secret with HMAC-SHA256 over a role
 * label, a flags byte and both nonces, compared in constant time. The client checks the server's
 * proof before it sends its own. Until the server has checked the client's proof, every other frame
 * closes the connection and nothing is deserialized or dispatched (the handler that does so is not
 * reached: {@code ServerAuthHandler} passes nothing on and removes itself only on success). Failures
 * are logged once with the remote address; a connection that does not finish the handshake within
 * {@code kindling.network.timeoutMs} is closed. The secret reaches executors through the environment
 * ({@code KINDLING_APP_SECRET}) or an owner-only file, never a command line.
 *
 * <h2>After the handshake</h2>
 * <ul>
 *   <li>Encryption ({@code kindling.network.crypto.enabled}, both sides alike): every frame is sealed
 *       with AES-256-GCM under per-connection, per-direction keys derived from the secret and both
 *       nonces, with a counting nonce; a changed, replayed or dropped frame closes the connection.
 *       Chunks of files are then read into memory instead of sent with zero-copy file regions.</li>
 *   <li>Requests run on the server's handler threads ({@link dev.kindling.internal.network.RpcHandler}),
 *       never on an event loop; a failure travels back as an ERROR with the exception's class and
 *       message; a request without an answer fails after {@code kindling.network.timeoutMs}.</li>
 *   <li>Objects in payloads are read only through {@link dev.kindling.internal.network.DeserializationLimits}
 *       (an {@code ObjectInputFilter} bounding depth, array length, references and bytes).</li>
 *   <li>Block fetch ({@link dev.kindling.internal.network.TransportClient#fetch}): the client asks the
 *       size, then requests chunks that each fit in a frame, keeping at most
 *       {@code kindling.reducer.maxBytesInFlight} (48 MiB) requested and not yet consumed; the server
 *       sends file segments as {@code DefaultFileRegion}s (zero-copy) and memory blocks as buffers.</li>
 *   <li>Servers bind to the loopback address unless the caller passes a host
 *       ({@code kindling.driver.host}, {@code kindling.executor.host}).</li>
 * </ul>
 *
 * <h2>What the cluster mode builds on it</h2>
 * The driver runs one {@link dev.kindling.internal.network.TransportServer} whose handler answers
 * executors' RPCs (register, heartbeat, task status updates with result bytes, broadcast and class
 * fetches); each executor runs one whose handler takes task descriptions (one-way launch and kill
 * messages) and whose {@link dev.kindling.internal.network.BlockSource} serves its shuffle files and
 * cached blocks, so reducers fetch map outputs by location with {@code fetch}. Results larger than a
 * frame travel as blocks, fetched in chunks. Every process of an application shares one
 * {@link dev.kindling.internal.network.AppSecret}, made by the driver.
 *
 * <h2>Threads</h2>
 * A server owns two event-loop threads ({@code kindling-net-server-*}) and its handler threads
 * ({@code kindling-rpc-handler-*}); a {@link dev.kindling.internal.network.TransportClientFactory}
 * owns two ({@code kindling-net-client-*}) shared by its clients. {@code close()} on either stops them
 * all and, for a server, frees the port.
 */
package dev.kindling.internal.network;
