package dev.kindling.internal.rdd;

import dev.kindling.function.Function;
import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.util.Unchecked;
import java.lang.invoke.MethodHandles;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Keeps the elements for which a predicate is true, asking it once per element: the iterator of
 * {@link Iterators#filter}. Copied per function class by {@link FunctionCopies}.
 */
final class FilterIterator<T> implements Iterator<T> {

    /** The class of every function this copy applies (null in the template): see ClassCopies. */
    private static final Class<?> KEY = ClassCopies.keyOf(MethodHandles.lookup());

    private final Iterator<T> in;
    private final Function<? super T, Boolean> f;
    private T next;
    private boolean ready;

    FilterIterator(Iterator<T> in, Function<? super T, Boolean> f) {
        this.in = in;
        this.f = f;
    }

    @Override
    public boolean hasNext() {
        Function<? super T, Boolean> fn = f;
        if (KEY != null && fn.getClass() != KEY) {
            throw ClassCopies.notTheKey(KEY, fn);
        }
        while (!ready && in.hasNext()) {
            T candidate = in.next();
            try {
                if (fn.call(candidate)) {
                    next = candidate;
                    ready = true;
                }
            } catch (Exception e) {
                throw Unchecked.rethrow(e);
            }
        }
        return ready;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ready = false;
        T result = next;
        next = null;
        return result;
    }
}
