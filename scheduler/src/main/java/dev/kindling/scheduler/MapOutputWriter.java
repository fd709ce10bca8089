package dev.kindling.scheduler;

import dev.kindling.storage.shuffle.ShuffleWriter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Writes one map task's records into shuffle buckets, combining per key first when asked to. */
final class MapOutputWriter {

    private static final int KILL_CHECK_INTERVAL = 1024;

    private MapOutputWriter() {
    }

    static void write(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context)
            throws Exception {
        Partitioner partitioner = dep.partitioner();
        long n = 0;
        if (dep.mapSideCombine()) {
            Aggregator<Object, Object> agg = dep.aggregator(context).orElseThrow();
            Map<Object, Object> combiners = new HashMap<>();
            while (records.hasNext()) {
                Object record = records.next();
                Object key = dep.keyOf(record);
                Object value = dep.valueOf(record);
                Object current = combiners.get(key);
                if (current == null && !combiners.containsKey(key)) {
                    combiners.put(key, agg.createCombiner(value));
                } else {
                    combiners.put(key, agg.mergeValue(current, value));
                }
                if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                    context.checkKilled();
                }
            }
            for (Map.Entry<Object, Object> e : combiners.entrySet()) {
                writer.write(partitioner.getPartition(e.getKey()), e.getKey(), e.getValue());
            }
        } else {
            while (records.hasNext()) {
                Object record = records.next();
                Object key = dep.keyOf(record);
                writer.write(partitioner.getPartition(key), key, dep.valueOf(record));
                if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                    context.checkKilled();
                }
            }
        }
    }
}
