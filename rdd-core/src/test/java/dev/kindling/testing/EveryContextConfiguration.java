package dev.kindling.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once per {@link ContextConfiguration} (or those listed), each test
 * getting a fresh context of that configuration and the checks of {@link ContextFixture}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(ContextFixture.class)
public @interface EveryContextConfiguration {

    /** The configurations to run under; empty means all. */
    ContextConfiguration[] value() default {};
}
