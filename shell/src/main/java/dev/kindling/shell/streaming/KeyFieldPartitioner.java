package dev.kindling.shell.streaming;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Hadoop's {@code KeyFieldBasedPartitioner} for streaming keys: picks a key's reducer from the
 * {@code -k} fields of {@code mapreduce.partition.keypartitioner.options}, so that records that
 * share those fields meet in one reducer (the secondary-sort idiom: partition on field 1, sort on
 * fields 1 and 2). The rules of Hadoop's implementation:
 * <ol>
 *   <li>The key is taken as UTF-8 text (bytes that are not valid UTF-8 become U+FFFD first, as
 *       Hadoop's {@code Text.toString()} makes them).</li>
 *   <li>{@code hash = 0}; for each {@code -k}, in order, whose start is present, for each byte b
 *       (signed) from its start to its end: {@code hash = 31 * hash + b}. An empty key goes to
 *       reducer 0.</li>
 *   <li>Without options (neither {@code mapreduce.partition.keypartitioner.options} nor the
 *       deprecated {@code num.key.fields.for.partition}), the hash is Java's
 *       {@code String.hashCode()} of the key.</li>
 *   <li>reducer = {@code (hash & Integer.MAX_VALUE) % reducers}.</li>
 * </ol>
 */
final class KeyFieldPartitioner implements Serializable {

    private static final long serialVersionUID = 1L;
    private final KeyFieldSpecs specs;

    /** A partitioner for the given specifications. */
    KeyFieldPartitioner(KeyFieldSpecs specs) {
        this.specs = specs;
    }

    /** The reducer, of {@code reducers}, of the key {@code line[from, from + keyLength)}. */
    int partition(byte[] line, int from, int keyLength, int reducers) {
        byte[] key = line;
        int to = from + keyLength;
        if (!ascii(line, from, to)) {
            // Hadoop hashes Text.toString().getBytes(UTF-8): malformed sequences become U+FFFD.
            key = new String(line, from, keyLength, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            from = 0;
            to = key.length;
        }
        if (specs.specs().isEmpty()) {
            return (new String(key, from, to - from, StandardCharsets.UTF_8).hashCode() & Integer.MAX_VALUE) % reducers;
        }
        if (to == from) {
            return 0;
        }
        int[] lengths = specs.fieldLengths(key, from, to);
        int hash = 0;
        for (KeyFieldSpecs.Spec s : specs.specs()) {
            int start = specs.start(from, to, lengths, s);
            if (start < 0) {
                continue;
            }
            for (int i = start, end = specs.end(from, to, lengths, s); i <= end; i++) {
                hash = 31 * hash + key[i];
            }
        }
        return (hash & Integer.MAX_VALUE) % reducers;
    }

    private static boolean ascii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "KeyFieldPartitioner" + specs;
    }
}
