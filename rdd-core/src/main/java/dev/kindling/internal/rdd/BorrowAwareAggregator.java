package dev.kindling.internal.rdd;

import dev.kindling.scheduler.Aggregator;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Wraps a reduce-side aggregator so that it never modifies objects it does not own. Values and
 * combiners read from the in-memory shuffle store are shared with later jobs, while merge functions
 * may modify their first argument (as Spark allows). A key's first combiner that is such an input
 * object (a map-side combiner taken as is, or {@code createCombiner} returning its argument) is
 * remembered as borrowed, and copied (see {@link Copies}) before the first merge into it.
 * One instance serves one task; not thread-safe.
 *
 * @param <V> value type
 * @param <C> combiner type
 */
public final class BorrowAwareAggregator<V, C> implements Aggregator<V, C> {

    private static final long serialVersionUID = 1L;

    private final Aggregator<V, C> delegate;
    private final transient Set<Object> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Wraps {@code delegate}. */
    public BorrowAwareAggregator(Aggregator<V, C> delegate) {
        this.delegate = delegate;
    }

    /** Declares that {@code combiner}, an input object, becomes a key's first combiner as it is. */
    public C borrow(C combiner) {
        if (combiner != null && !Copies.isImmutable(combiner)) {
            borrowed.add(combiner);
        }
        return combiner;
    }

    @Override
    @SuppressWarnings("unchecked")
    public C createCombiner(V value) throws Exception {
        C created = delegate.createCombiner(value);
        return created == (Object) value ? borrow(created) : created;
    }

    @Override
    public C mergeValue(C combiner, V value) throws Exception {
        return delegate.mergeValue(own(combiner), value);
    }

    @Override
    public C mergeCombiners(C left, C right) throws Exception {
        return delegate.mergeCombiners(own(left), right);
    }

    private C own(C combiner) {
        if (combiner != null && borrowed.remove(combiner)) {
            return combiner instanceof java.io.Serializable ? Copies.copy(combiner) : combiner;
        }
        return combiner;
    }
}
