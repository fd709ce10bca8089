package dev.kindling.internal.rdd;

import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.scheduler.Aggregator;

/**
 * An {@link Aggregator} made of the three user functions of {@code combineByKey} and friends. A
 * top-level class (not an anonymous one) so that it serializes without dragging in the enclosing
 * object, which lets each task run its own copy.
 *
 * @param <V> value type
 * @param <C> combiner type
 */
public final class FunctionAggregator<V, C> implements Aggregator<V, C> {

    private static final long serialVersionUID = 1L;

    private final Function<V, C> createCombiner;
    private final Function2<C, V, C> mergeValue;
    private final Function2<C, C, C> mergeCombiners;

    /** Combines with the given functions. */
    public FunctionAggregator(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
                              Function2<C, C, C> mergeCombiners) {
        this.createCombiner = createCombiner;
        this.mergeValue = mergeValue;
        this.mergeCombiners = mergeCombiners;
    }

    @Override
    public C createCombiner(V value) throws Exception {
        return createCombiner.call(value);
    }

    @Override
    public C mergeValue(C combiner, V value) throws Exception {
        return mergeValue.call(combiner, value);
    }

    @Override
    public C mergeCombiners(C left, C right) throws Exception {
        return mergeCombiners.call(left, right);
    }
}
