package dev.kindling.internal.rdd;

import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.util.Unchecked;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Iterator;

/**
 * Makes the iterators that apply a user's function ({@link MapIterator}, {@link FilterIterator},
 * {@link FlatMapIterator}) from a copy of their class per function class ({@link ClassCopies}), so
 * that the call to the function sees that function's class only. A word count's
 * {@code mapToPair(w -> Pair.of(w, 1))} then hands its {@code Pair} to the shuffle without
 * allocating it, though the sort after it maps with {@code Pair::swap} through the same template.
 */
final class FunctionCopies {

    /** What every constructor is adapted to: (upstream iterator, function) -> iterator. */
    private static final MethodType FACTORY = MethodType.methodType(Iterator.class, Iterator.class, Object.class);

    private final ClassCopies copies;

    /**
     * Copies of {@code template}, whose one constructor takes the upstream iterator and a function
     * of type {@code functionType}.
     */
    FunctionCopies(Class<? extends Iterator> template, Class<?> functionType) {
        this.copies = new ClassCopies(MethodHandles.lookup(), template, constructorOf(functionType));
    }

    /** As above; with {@code copy} false every function gets the template class itself. */
    FunctionCopies(Class<? extends Iterator> template, Class<?> functionType, boolean copy) {
        this.copies = new ClassCopies(MethodHandles.lookup(), template, constructorOf(functionType), copy);
    }

    private static ClassCopies.Finder constructorOf(Class<?> functionType) {
        MethodType constructor = MethodType.methodType(void.class, Iterator.class, functionType);
        return (lookup, type) -> lookup.findConstructor(type, constructor).asType(FACTORY);
    }

    /** An iterator over {@code in} applying {@code f}, from the copy made for {@code f}'s class. */
    @SuppressWarnings("unchecked")
    <R> Iterator<R> create(Iterator<?> in, Object f) {
        MethodHandle factory = copies.handleFor(f.getClass());
        try {
            return (Iterator<R>) factory.invokeExact(in, f);
        } catch (Throwable e) {
            throw Unchecked.rethrow(e);
        }
    }
}
