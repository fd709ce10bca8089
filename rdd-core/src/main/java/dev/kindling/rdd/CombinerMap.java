package dev.kindling.rdd;

import dev.kindling.Pair;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-key hash map behind reduce-side and already-partitioned aggregations, which never
 * modifies the objects it is given. Values read from the in-memory shuffle store or from a cached
 * partition are shared with later jobs, while merge functions may modify their first argument (as
 * Spark allows for combineByKey and aggregateByKey). So when a key's first combiner is an input
 * object itself (map-side combined output, or {@code createCombiner} returning its argument), it is
 * kept as borrowed and copied (see {@link Copies}) before the first merge into it. Immutable
 * values are never copied. Null keys are allowed.
 *
 * @param <K> key type
 * @param <C> combiner type
 */
public final class CombinerMap<K, C> {

    private final Map<K, Object> combiners = new HashMap<>();

    /** A combiner that is an input object: it must be copied before it is modified. */
    private record Borrowed<C>(C value) {
    }

    /**
     * Folds {@code value} into the combiner of {@code key}: {@code first} makes the key's first
     * combiner from it, {@code merge} merges it into the existing one (which it may modify).
     */
    @SuppressWarnings("unchecked")
    public <V> void merge(K key, V value, Function<V, C> first, Function2<C, V, C> merge) throws Exception {
        Object current = combiners.get(key);
        if (current == null && !combiners.containsKey(key)) {
            C created = first.call(value);
            boolean borrowed = created == (Object) value && !Copies.isImmutable(created);
            combiners.put(key, borrowed ? new Borrowed<>(created) : created);
        } else {
            C own = current instanceof Borrowed<?> b ? ownCopy((C) b.value()) : (C) current;
            combiners.put(key, merge.call(own, value));
        }
    }

    /** The combined pairs, one per key. */
    @SuppressWarnings("unchecked")
    public List<Pair<K, C>> toPairs() {
        List<Pair<K, C>> out = new ArrayList<>(combiners.size());
        for (Map.Entry<K, Object> e : combiners.entrySet()) {
            Object c = e.getValue();
            out.add(new Pair<>(e.getKey(), (C) (c instanceof Borrowed<?> b ? b.value() : c)));
        }
        return out;
    }

    /** A private copy of a borrowed combiner; one that cannot be serialized is shared as it is. */
    private static <C> C ownCopy(C combiner) {
        return combiner instanceof java.io.Serializable ? Copies.copy(combiner) : combiner;
    }
}
