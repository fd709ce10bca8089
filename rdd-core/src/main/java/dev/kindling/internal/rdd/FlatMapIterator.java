package dev.kindling.internal.rdd;

import dev.kindling.function.FlatMapFunction;
import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.util.Unchecked;
import java.lang.invoke.MethodHandles;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Concatenates the iterators a function returns for each element: the iterator of
 * {@link Iterators#flatMap}. A {@code next()} right after a {@code hasNext()} that returned true
 * does not ask the current iterator again (one interface call per element instead of two).
 * Copied per function class by {@link FunctionCopies}.
 */
final class FlatMapIterator<T, R> implements Iterator<R> {

    /** The class of every function this copy applies (null in the template): see ClassCopies. */
    private static final Class<?> KEY = ClassCopies.keyOf(MethodHandles.lookup());

    private final Iterator<T> in;
    private final FlatMapFunction<? super T, R> f;
    private Iterator<R> current = Collections.emptyIterator();
    /** Whether {@code current} is known to have a next element (hasNext returned true since the last next). */
    private boolean ready;

    FlatMapIterator(Iterator<T> in, FlatMapFunction<? super T, R> f) {
        this.in = in;
        this.f = f;
    }

    @Override
    public boolean hasNext() {
        if (ready) {
            return true;
        }
        while (!current.hasNext()) {
            if (!in.hasNext()) {
                return false;
            }
            FlatMapFunction<? super T, R> fn = f;
            if (KEY != null && fn.getClass() != KEY) {
                throw ClassCopies.notTheKey(KEY, fn);
            }
            try {
                Iterator<R> produced = fn.call(in.next());
                current = produced == null ? Collections.emptyIterator() : produced;
            } catch (Exception e) {
                throw Unchecked.rethrow(e);
            }
        }
        ready = true;
        return true;
    }

    @Override
    public R next() {
        if (!ready && !hasNext()) {
            throw new NoSuchElementException();
        }
        ready = false;
        return current.next();
    }
}
