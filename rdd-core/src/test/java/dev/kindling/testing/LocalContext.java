package dev.kindling.testing;

import dev.kindling.internal.ContextInternals;
import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving each test a fresh two-thread {@link KindlingContext} as a parameter, and
 * after the test asserting that the scheduler kept no job, stage or task bookkeeping (as Spark's
 * DAGSchedulerSuite does) before closing the context.
 *
 * <pre>{@code
 * @ExtendWith(LocalContext.class)
 * class MyTest {
 *     @Test void counts(KindlingContext kc) { ... }
 * }
 * }</pre>
 */
public final class LocalContext implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalContext.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == KindlingContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getStore(NS).getOrComputeIfAbsent("kc", k -> Kindling.builder().master("local[2]")
                .config("kindling.task.maxFailures", "4").build(), KindlingContext.class);
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        KindlingContext kc = extension.getStore(NS).remove("kc", KindlingContext.class);
        if (kc == null) {
            return;
        }
        try {
            if (extension.getExecutionException().isEmpty() && !kc.isClosed()) {
                assertSchedulerIdle(kc);
            }
        } finally {
            kc.close();
        }
    }

    /** Fails if the scheduler still holds any job, stage or task bookkeeping. */
    public static void assertSchedulerIdle(KindlingContext kc) {
        Map<String, Integer> sizes = ContextInternals.of(kc).scheduler().internalStateSizes();
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (e.getValue() != 0) {
                throw new AssertionError("scheduler state not empty after the test: " + sizes);
            }
        }
    }
}
