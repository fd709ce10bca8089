package dev.kindling.internal.executor;

/** A template for {@link ClassCopiesTest}: tells which class (template or copy) ran it. */
final class CopiedTemplate {

    private CopiedTemplate() {
    }

    /** The class this code runs in: the template's name resolves to the copy inside a copy. */
    static Class<?> self() {
        return CopiedTemplate.class;
    }
}
