package dev.kindling.internal.shuffle;

import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.storage.io.ChecksumInputStream;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordReader;
import dev.kindling.scheduler.TaskContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one shuffle block of another executor: fetches it whole on the first {@link #advance()}
 * (not before, so a reducer holds one fetched block at a time), then reads its records. The fetched
 * bytes are recorded as the task's remote shuffle bytes read (so {@link #bytesRead()}, which
 * callers record as local bytes, stays 0), the wait as its fetch wait time. A failed
 * fetch, a damaged block (its frame checksums do not match) or records that cannot be read are a
 * {@link FetchFailedException} naming the block's executor, with the failure as cause.
 */
final class RemoteBlockCursor implements RecordCursor {

    /** The kind of data, as checksum errors name it. */
    static final String KIND = "fetched shuffle block";

    private final ShuffleBlockId block;
    private final ExecutorLocation location;
    private final ShuffleBlockFetcher fetcher;
    private final KryoSerializer serializer;
    private final TaskContext task;
    private RecordReader reader;
    private long records;
    private Object key;
    private Object value;
    private boolean done;

    RemoteBlockCursor(ShuffleBlockId block, ExecutorLocation location, ShuffleBlockFetcher fetcher,
                      KryoSerializer serializer, TaskContext task) {
        this.block = block;
        this.location = location;
        this.fetcher = fetcher;
        this.serializer = serializer;
        this.task = task;
    }

    @Override
    public boolean advance() {
        if (done) {
            return false;
        }
        try {
            if (reader == null) {
                open();
            }
            if (!reader.hasMore()) {
                done = true;
                reader.close();
                return false;
            }
            key = reader.read();
            value = reader.read();
            records++;
            return true;
        } catch (FetchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            done = true;
            if (reader != null) {
                reader.close();
            }
            throw failed("its bytes cannot be read: " + e.getMessage(), e);
        }
    }

    private void open() {
        long start = System.nanoTime();
        byte[] data;
        try {
            data = fetcher.fetch(location, block.name());
        } catch (IOException e) {
            done = true;
            throw failed("the fetch failed: " + e.getMessage(), e);
        } finally {
            if (task != null) {
                TaskMetric.SHUFFLE_FETCH_WAIT_NANOS.record(task, System.nanoTime() - start);
            }
        }
        if (task != null) {
            TaskMetric.SHUFFLE_REMOTE_BYTES_READ.record(task, data.length);
        }
        reader = serializer.newReader(new ChecksumInputStream(new ByteArrayInputStream(data), KIND,
                Path.of(block.name() + "@" + location.host() + ":" + location.port()), 0, data.length));
    }

    private FetchFailedException failed(String reason, Throwable cause) {
        return new FetchFailedException(block.shuffleId(), block.mapId(), location.executorId(), block.reduceId(),
                reason, cause);
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public long recordsRead() {
        return records;
    }

    /** 0: the bytes of a fetched block are recorded as remote bytes read when it arrives. */
    @Override
    public long bytesRead() {
        return 0;
    }
}
