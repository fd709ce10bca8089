package dev.kindling.internal.cluster;

import dev.kindling.internal.cluster.ClusterMessage.BroadcastBytes;
import dev.kindling.internal.cluster.ClusterMessage.CanCommit;
import dev.kindling.internal.cluster.ClusterMessage.ClassBytes;
import dev.kindling.internal.cluster.ClusterMessage.EnterOutput;
import dev.kindling.internal.cluster.ClusterMessage.ExitOutput;
import dev.kindling.internal.cluster.ClusterMessage.FetchBroadcast;
import dev.kindling.internal.cluster.ClusterMessage.FetchClass;
import dev.kindling.internal.cluster.ClusterMessage.FetchMapStatuses;
import dev.kindling.internal.cluster.ClusterMessage.Heartbeat;
import dev.kindling.internal.cluster.ClusterMessage.KillTask;
import dev.kindling.internal.cluster.ClusterMessage.LaunchTask;
import dev.kindling.internal.cluster.ClusterMessage.MapStatuses;
import dev.kindling.internal.cluster.ClusterMessage.OutputAnswer;
import dev.kindling.internal.cluster.ClusterMessage.Ping;
import dev.kindling.internal.cluster.ClusterMessage.RddRemoved;
import dev.kindling.internal.cluster.ClusterMessage.RegisterExecutor;
import dev.kindling.internal.cluster.ClusterMessage.Registered;
import dev.kindling.internal.cluster.ClusterMessage.RemoveBlock;
import dev.kindling.internal.cluster.ClusterMessage.RemoveBroadcast;
import dev.kindling.internal.cluster.ClusterMessage.RemoveRdd;
import dev.kindling.internal.cluster.ClusterMessage.StatusUpdate;
import dev.kindling.internal.cluster.ClusterMessage.StopExecutor;
import dev.kindling.internal.cluster.ClusterMessage.UpdateBlocks;
import dev.kindling.internal.scheduler.backend.LengthPrefixed;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapStatus;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads {@link ClusterMessage}s: the tag picks the record, whose fields follow in the order its
 * {@code writeFields} wrote them. Every length and count is checked against the bytes that are there
 * before anything is allocated, so a lying peer cannot make the reader allocate more than it sent.
 */
final class ClusterMessageDecoder {

    private ClusterMessageDecoder() {
    }

    static ClusterMessage decode(byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IOException("An empty cluster message (expected a tag byte, then its fields)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int tag = in.readUnsignedByte();
        if (tag < 1 || tag > ClusterMessage.MAX_TAG) {
            throw new IOException("Unknown cluster message tag " + tag + " in a message of " + bytes.length
                    + " bytes (known tags: 1 to " + ClusterMessage.MAX_TAG + "); is the peer another version of Kindling?");
        }
        ClusterMessage message;
        try {
            message = switch (tag) {
                case 1 -> new RegisterExecutor(readString(in), readString(in), in.readInt(), in.readInt(), in.readLong());
                case 2 -> new Registered(readConf(in));
                case 3 -> new Heartbeat(readString(in), readBytes(in));
                case 4 -> new LaunchTask(readBytes(in));
                case 5 -> new KillTask(in.readLong(), in.readBoolean(), readString(in));
                case 6 -> new StatusUpdate(readString(in), readBytes(in));
                case 7 -> new StopExecutor();
                case 8 -> new FetchClass(readString(in));
                case 9 -> new ClassBytes(in.readBoolean() ? readBytes(in) : null);
                case 10 -> new FetchBroadcast(in.readLong());
                case 11 -> new BroadcastBytes(readBytes(in));
                case 12 -> new FetchMapStatuses(in.readInt(), in.readInt());
                case 13 -> new MapStatuses(readMapStatuses(in));
                case 14 -> new CanCommit(in.readInt(), in.readInt(), in.readInt(), in.readInt());
                case 15 -> new EnterOutput(readString(in));
                case 16 -> new ExitOutput(readString(in));
                case 17 -> new OutputAnswer(in.readBoolean());
                case 18 -> new RemoveBlock(readString(in));
                case 19 -> new RemoveBroadcast(in.readLong());
                case 22 -> new UpdateBlocks(readString(in), readInts(in), readInts(in));
                case 23 -> new RemoveRdd(in.readInt());
                case 24 -> new RddRemoved(in.readInt());
                case 25 -> new Ping();
                default -> throw new IOException("unknown tag " + tag + " (this version knows 1 to 19 and 22 to 25);"
                        + " is the peer another version of Kindling?");
            };
        } catch (IOException e) {
            throw new IOException("A cluster message with tag " + tag + " (" + bytes.length + " bytes) is malformed: "
                    + (e instanceof EOFException ? "it ends early" : e.getMessage()), e);
        }
        if (in.available() > 0) {
            throw new IOException("A cluster message with tag " + tag + " has " + in.available()
                    + " bytes after its last field (" + bytes.length + " bytes in all)");
        }
        return message;
    }

    private static String readString(DataInputStream in) throws IOException {
        return LengthPrefixed.readString(in, "the message");
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return LengthPrefixed.readBytes(in, "the message");
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n % 2 != 0 || (long) n * 4 > in.available()) {
            throw new IOException("A block list claims " + n + " ints (pairs) but " + in.available() + " bytes are left");
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static MapStatus[] readMapStatuses(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) { // each entry takes at least its presence byte
            throw new IOException("Map statuses claim " + n + " entries but " + in.available() + " bytes are left");
        }
        MapStatus[] statuses = new MapStatus[n];
        for (int m = 0; m < n; m++) {
            if (!in.readBoolean()) {
                continue;
            }
            String executorId = readString(in);
            String host = readString(in);
            int port = in.readInt();
            int reduces = in.readInt();
            if (reduces < 0 || (long) reduces * 8 > in.available()) {
                throw new IOException("A map status claims " + reduces + " sizes but " + in.available() + " bytes are left");
            }
            long[] sizes = new long[reduces];
            for (int r = 0; r < reduces; r++) {
                sizes[r] = in.readLong();
            }
            try {
                statuses[m] = new MapStatus(new ExecutorLocation(executorId, host, port), sizes);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return statuses;
    }

    private static Map<String, String> readConf(DataInputStream in) throws IOException {
        int n = in.readInt();
        // Each entry takes at least 8 bytes (two lengths), so a count past that is a lie.
        if (n < 0 || (long) n * 8 > in.available()) {
            throw new IOException("A configuration claims " + n + " entries but " + in.available() + " bytes are left");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            conf.put(readString(in), readString(in));
        }
        return conf;
    }
}
