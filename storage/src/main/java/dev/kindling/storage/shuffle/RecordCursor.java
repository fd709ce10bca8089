package dev.kindling.storage.shuffle;

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
}
