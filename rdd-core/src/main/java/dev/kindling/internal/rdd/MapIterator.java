package dev.kindling.internal.rdd;

import dev.kindling.function.Function;
import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.util.Unchecked;
import java.lang.invoke.MethodHandles;
import java.util.Iterator;

/**
 * Applies a function to each element as it is pulled: the iterator of {@link Iterators#map}. A
 * top-level class without nested classes or lambdas, so that {@link FunctionCopies} can define a
 * copy of it per function class.
 */
final class MapIterator<T, R> implements Iterator<R> {

    /** The class of every function this copy applies (null in the template): see ClassCopies. */
    private static final Class<?> KEY = ClassCopies.keyOf(MethodHandles.lookup());

    private final Iterator<T> in;
    private final Function<? super T, ? extends R> f;

    MapIterator(Iterator<T> in, Function<? super T, ? extends R> f) {
        this.in = in;
        this.f = f;
    }

    @Override
    public boolean hasNext() {
        return in.hasNext();
    }

    @Override
    public R next() {
        T value = in.next();
        Function<? super T, ? extends R> fn = f;
        if (KEY != null && fn.getClass() != KEY) {
            throw ClassCopies.notTheKey(KEY, fn);
        }
        try {
            return fn.call(value);
        } catch (Exception e) {
            throw Unchecked.rethrow(e);
        }
    }
}
