package dev.kindling.internal.shuffle;

/**
 * A forward-only cursor over key/value records, used instead of an iterator of pairs so that
 * reading a shuffle allocates nothing per record.
 *
 * <pre>{@code
 * while (cursor.advance()) { use(cursor.key(), cursor.value()); }
 * }</pre>
 */
public interface RecordCursor {

    /** Moves to the next record; returns false when there is none. */
    boolean advance();

    /** Key of the current record. */
    Object key();

    /** Value of the current record. */
    Object value();

    /** Records this cursor has returned so far. */
    long recordsRead();

    /**
     * Bytes this cursor has read so far: for map outputs on disk, the bytes read from their files
     * (checksummed frames, as stored); for map outputs held in memory, which are never serialized,
     * the estimated in-memory size of the records handed out (see the store's documentation).
     */
    long bytesRead();
}
