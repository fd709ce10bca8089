package dev.kindling.internal.executor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of one of the engine's per-record classes, one per class of what it is given (a user's
 * function, an iterator), so that the JIT profiles each copy's calls on their own. Each copy is a
 * hidden class defined from the template's own bytecode, made when a key class is first seen and
 * kept as long as that class.
 *
 * <p>Why: the JIT profiles a call site per method of a class, not per object. A loop or iterator
 * class that every pipeline shares sees every pipeline's functions at its calls; with two or more
 * it calls them virtually, or inlines two behind a type switch, and either way the objects they
 * return (a {@code Pair} per record in a word count) can no longer be replaced by their fields and
 * are allocated. In a copy of its own a call site sees one class, and the JIT inlines it whole.
 *
 * <p>A copy holds its key class as class data ({@link #keyOf}). A profile can come too late: on a
 * busy machine the JIT may first compile a new copy without collecting types (tier 2), and then
 * inline nothing behind it. So a template checks, where it calls the keyed object, that the
 * object's class is its key ({@code if (KEY != null && f.getClass() != KEY) throw ...}): after
 * that test the JIT knows the exact class, and inlines the call with or without a profile.
 *
 * <p>A template must be a top-level class without nested classes or lambdas, in the package of the
 * lookup that copies it. Frames of hidden classes are left out of stack traces (the user's function
 * and the engine's frames around it stay). The system property {@code kindling.classCopies=false}
 * turns copies off: every key then gets the template itself.
 */
public final class ClassCopies {

    /** Finds the handle a caller wants (a constructor, a static method) in a copy. */
    @FunctionalInterface
    public interface Finder {
        /** The handle to use for {@code copy}, looked up with {@code lookup} (whose class it is). */
        MethodHandle find(MethodHandles.Lookup lookup, Class<?> copy) throws ReflectiveOperationException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClassCopies.class);
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("kindling.classCopies"));

    private final MethodHandles.Lookup lookup;
    private final Class<?> template;
    private final Finder finder;
    private final MethodHandle templateHandle;
    /** The template's class file, or null when copies are off or it could not be read. */
    private final byte[] bytecode;
    private final ClassValue<MethodHandle> handles = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> key) {
            return copy(key);
        }
    };

    /** Copies of {@code template}, unless the system property turns copies off. */
    public ClassCopies(MethodHandles.Lookup lookup, Class<?> template, Finder finder) {
        this(lookup, template, finder, ENABLED);
    }

    /**
     * Copies of {@code template}, defined through {@code lookup} (a full-privilege lookup of a
     * class in the template's package: {@code MethodHandles.lookup()} there); with {@code copy}
     * false, every key gets the template's own handle.
     */
    public ClassCopies(MethodHandles.Lookup lookup, Class<?> template, Finder finder, boolean copy) {
        this.lookup = lookup;
        this.template = template;
        this.finder = finder;
        this.templateHandle = find(lookup, template);
        this.bytecode = copy ? readClassFile(template) : null;
    }

    /** The handle found in the copy made for {@code key} (the template's if copies are off). */
    public MethodHandle handleFor(Class<?> key) {
        return bytecode == null ? templateHandle : handles.get(key);
    }

    private MethodHandle copy(Class<?> key) {
        try {
            MethodHandles.Lookup copy = lookup.defineHiddenClassWithClassData(bytecode, key, false);
            return find(copy, copy.lookupClass());
        } catch (IllegalAccessException | LinkageError | IllegalStateException e) {
            LOG.debug("Could not copy {}; its users share it", template.getName(), e);
            return templateHandle;
        }
    }

    /**
     * The key class of the copy whose own lookup is {@code lookup} (call it in the template's
     * static initializer, with {@code MethodHandles.lookup()}); null in the template itself.
     */
    public static Class<?> keyOf(MethodHandles.Lookup lookup) {
        try {
            return MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, Class.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Not a class's own lookup: " + lookup, e);
        }
    }

    /** The error of a copy given an object of another class than its key (a bug in the engine). */
    public static IllegalStateException notTheKey(Class<?> key, Object given) {
        return new IllegalStateException("The copy made for " + key.getName() + " was given a "
                + given.getClass().getName());
    }

    private MethodHandle find(MethodHandles.Lookup in, Class<?> type) {
        try {
            return finder.find(in, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No handle to call in " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readClassFile(Class<?> template) {
        String name = template.getSimpleName() + ".class";
        try (InputStream in = template.getResourceAsStream(name)) {
            if (in != null) {
                return in.readAllBytes();
            }
            LOG.debug("No class file {} beside {}; its users share it", name, template.getName());
        } catch (IOException e) {
            LOG.debug("Could not read {}; its users share it", name, e);
        }
        return null;
    }
}
