package dev.kindling.internal.rdd;

import dev.kindling.Pair;
import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.storage.block.ArrayBlockIterator;
import dev.kindling.scheduler.TaskContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Lazy iterator adapters used to pipeline narrow transformations: each element flows through the
 * whole chain one at a time, and nothing is materialised in between.
 */
public final class Iterators {

    /**
     * Records a {@link #fold} passes to the user's function between two kill checks: a killed task
     * stops within this many calls (a power of two).
     */
    public static final int KILL_CHECK_INTERVAL = 1024;

    // One iterator class per function class: see FunctionCopies for why.
    private static final FunctionCopies MAPS = new FunctionCopies(MapIterator.class, Function.class);
    private static final FunctionCopies FILTERS = new FunctionCopies(FilterIterator.class, Function.class);
    private static final FunctionCopies FLAT_MAPS = new FunctionCopies(FlatMapIterator.class, FlatMapFunction.class);
    /** One fold loop per seqOp class, as above. */
    private static final MethodType FOLD = MethodType.methodType(Object.class, Iterator.class, Object.class,
            Function2.class, TaskContext.class);
    private static final ClassCopies FOLDS = new ClassCopies(MethodHandles.lookup(), FoldLoop.class,
            (lookup, type) -> lookup.findStatic(type, "fold", FOLD));

    private Iterators() {
    }

    /** Applies {@code f} to each element as it is pulled. */
    public static <T, R> Iterator<R> map(Iterator<T> in, Function<? super T, ? extends R> f) {
        return MAPS.create(in, f);
    }

    /** Keeps the elements for which {@code f} is true; {@code f} sees each element once. */
    public static <T> Iterator<T> filter(Iterator<T> in, Function<? super T, Boolean> f) {
        return FILTERS.create(in, f);
    }

    /**
     * Concatenates the iterators {@code f} returns for each element. A {@code next()} right after a
     * {@code hasNext()} that returned true does not ask the current iterator again (one interface
     * call per element instead of two).
     */
    public static <T, R> Iterator<R> flatMap(Iterator<T> in, FlatMapFunction<? super T, R> f) {
        return FLAT_MAPS.create(in, f);
    }

    /** Yields the first {@code limit} elements at most, without pulling any further element. */
    public static <T> Iterator<T> limit(Iterator<T> in, long limit) {
        return new Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < limit && in.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return in.next();
            }
        };
    }

    /**
     * Pairs the i-th elements of two iterators; fails with {@link IllegalStateException} when one
     * runs out before the other (the rule of {@code RDD.zip}).
     */
    public static <A, B> Iterator<Pair<A, B>> zip(Iterator<A> left, Iterator<B> right) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = left.hasNext();
                if (more != right.hasNext()) {
                    throw new IllegalStateException("Can only zip RDDs with the same number of elements in each "
                            + "partition: the " + (more ? "second" : "first") + " RDD ran out of elements first");
                }
                return more;
            }

            @Override
            public Pair<A, B> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return new Pair<>(left.next(), right.next());
            }
        };
    }

    /** Counts the remaining elements, consuming the iterator. */
    public static long count(Iterator<?> in) {
        long n = 0;
        while (in.hasNext()) {
            in.next();
            n++;
        }
        return n;
    }

    /**
     * Folds the remaining elements into {@code zero} with {@code f} (an aggregate's seqOp), checking
     * every {@link #KILL_CHECK_INTERVAL} elements whether {@code task} was killed. A cached in-memory
     * partition ({@link ArrayBlockIterator}) is folded by an indexed loop over the block's array, as
     * a hand-written loop would be: no iterator call per element. The loop is {@link FoldLoop}'s
     * copy for {@code f}'s class, so that the JIT inlines {@code f} into it.
     *
     * @param task the running attempt, or null outside a task (no kill checks then)
     */
    @SuppressWarnings("unchecked")
    public static <T, U> U fold(Iterator<T> in, U zero, Function2<U, T, U> f, TaskContext task) throws Exception {
        MethodHandle loop = FOLDS.handleFor(f.getClass());
        try {
            return (U) (Object) loop.invokeExact(in, (Object) zero, (Function2) f, task);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
