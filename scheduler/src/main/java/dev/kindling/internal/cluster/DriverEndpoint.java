package dev.kindling.internal.cluster;

import dev.kindling.internal.executor.OutputCommits;
import dev.kindling.internal.network.InboundMessage;
import dev.kindling.internal.network.RpcHandler;
import dev.kindling.internal.shuffle.MapStatusLookup;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The driver server's handler: registrations, heartbeats, class, broadcast and map status fetches, reports of
 * cached blocks (requests) and
 * status updates (one-way) from executors, all decoded from {@link ClusterMessage}s. Runs on the
 * server's handler threads; a failure becomes the requesting executor's error.
 */
final class DriverEndpoint implements RpcHandler {

    /** A binary class name: identifiers separated by dots (no slashes, so no other resource can be asked for). */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
    private static final int MAX_CLASS_NAME = 1_000;
    /** Most map partitions a map status request may ask for: a bound on the answer's size. */
    private static final int MAX_MAPS = 10_000_000;

    private final ExecutorRegistry registry;
    private final Map<String, String> conf;
    private final ClassSource classes;
    private final BroadcastSource broadcasts;
    private final MapStatusLookup mapStatuses;
    private final OutputCommits outputCommits;

    DriverEndpoint(ExecutorRegistry registry, Map<String, String> conf, ClassSource classes, BroadcastSource broadcasts,
                   MapStatusLookup mapStatuses, OutputCommits outputCommits) {
        this.registry = registry;
        this.conf = Map.copyOf(conf);
        this.classes = classes;
        this.broadcasts = broadcasts;
        this.mapStatuses = mapStatuses;
        this.outputCommits = outputCommits;
    }

    @Override
    public byte[] receive(InboundMessage request) throws Exception {
        ClusterMessage m = ClusterMessage.decode(request.body());
        if (m instanceof ClusterMessage.RegisterExecutor r) {
            registry.register(r);
            return new ClusterMessage.Registered(conf).encode();
        } else if (m instanceof ClusterMessage.Heartbeat h) {
            registry.heartbeat(h.executorId(), h.metrics());
            return new byte[0];
        } else if (m instanceof ClusterMessage.FetchClass f) {
            if (f.name().length() > MAX_CLASS_NAME || !CLASS_NAME.matcher(f.name()).matches()) {
                throw new IllegalArgumentException("\"" + abbreviate(f.name()) + "\" is not a binary class name (a.b.C$D)");
            }
            return new ClusterMessage.ClassBytes(classes.classBytes(f.name())).encode();
        } else if (m instanceof ClusterMessage.FetchBroadcast b) {
            return new ClusterMessage.BroadcastBytes(broadcasts.broadcastBytes(b.broadcastId())).encode();
        } else if (m instanceof ClusterMessage.FetchMapStatuses f) {
            if (f.numMaps() < 0 || f.numMaps() > MAX_MAPS) {
                throw new IllegalArgumentException("A shuffle cannot have " + f.numMaps() + " map partitions (0 to "
                        + MAX_MAPS + ")");
            }
            return new ClusterMessage.MapStatuses(mapStatuses.statuses(f.shuffleId(), f.numMaps())).encode();
        } else if (m instanceof ClusterMessage.CanCommit c) {
            return new ClusterMessage.OutputAnswer(outputCommits.canCommit(c.stageId(), c.stageAttempt(), c.partition(),
                    c.attemptNumber())).encode();
        } else if (m instanceof ClusterMessage.EnterOutput e) {
            return new ClusterMessage.OutputAnswer(outputCommits.enter(e.jobTag())).encode();
        } else if (m instanceof ClusterMessage.UpdateBlocks u) {
            registry.blocksUpdated(u.executorId(), u.stored(), u.removed());
            return new byte[0];
        } else if (m instanceof ClusterMessage.ExitOutput e) {
            outputCommits.exit(e.jobTag());
            return new byte[0];
        }
        throw new IOException("The driver answers no " + m.getClass().getSimpleName() + " requests (from "
                + request.remoteAddress() + ")");
    }

    @Override
    public void receiveOneWay(InboundMessage message) throws Exception {
        ClusterMessage m = ClusterMessage.decode(message.body());
        if (m instanceof ClusterMessage.StatusUpdate s) {
            registry.statusUpdate(s.executorId(), s.update());
        } else {
            throw new IOException("The driver takes no one-way " + m.getClass().getSimpleName() + " messages (from "
                    + message.remoteAddress() + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
