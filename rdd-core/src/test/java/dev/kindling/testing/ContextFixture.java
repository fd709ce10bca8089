package dev.kindling.testing;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The context fixture for suites that must hold under every configuration: annotate the class with
 * {@link EveryContextConfiguration} and it runs once per {@link ContextConfiguration}. Each test
 * gets a fresh two-thread {@link KindlingContext} of that configuration as a parameter (and the
 * {@link ContextConfiguration} itself, for its {@link ContextConfiguration#cacheLevel()}), and after
 * it passes, {@link #assertClean(KindlingContext)} checks that the scheduler is idle, every task
 * gave back its execution memory and no temporary file is left in the scratch directory; then the
 * context is closed.
 *
 * <pre>{@code
 * @EveryContextConfiguration
 * class MySuite {
 *     @Test void counts(KindlingContext kc, ContextConfiguration cfg) { ... }
 * }
 * }</pre>
 *
 * <p>The {@link ContextConfiguration#KRYO_SHUFFLE} run writes every shuffled record with Kryo, so a
 * record type Kryo cannot handle fails in tests rather than first when a production job spills.
 */
public final class ContextFixture implements ClassTemplateInvocationContextProvider {

    /** Directories of the scratch directory whose files outlive a test legitimately. */
    private static final Set<String> KEPT = Set.of("shuffle", "blocks");
    /** The scratch directory's owner marker (see {@code ScratchDirectory}). */
    private static final String OWNER_FILE = ".kindling-owner";

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        ContextConfiguration[] chosen = AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
                EveryContextConfiguration.class).map(EveryContextConfiguration::value)
                .orElse(new ContextConfiguration[0]);
        List<ContextConfiguration> configurations = chosen.length == 0 ? List.of(ContextConfiguration.values())
                : Arrays.asList(chosen);
        return configurations.stream().map(Invocation::new);
    }

    /** Opens a context of {@code configuration}; the caller closes it. */
    public static KindlingContext open(ContextConfiguration configuration) {
        Kindling.Builder builder = Kindling.builder().master("local[2]").config("kindling.task.maxFailures", "4");
        configuration.settings().forEach(builder::config);
        return builder.build();
    }

    /**
     * Fails if {@code kc}'s scheduler holds bookkeeping, a task kept execution memory (beyond what
     * committed in-memory shuffle outputs hold), or its scratch directory holds a file outside the
     * shuffle outputs and cached blocks (a spill, sort run or other temporary file left behind).
     */
    public static void assertClean(KindlingContext kc) {
        LocalContext.assertSchedulerIdle(kc);
        ShuffleStore store = ContextInternals.of(kc).shuffleStore();
        long committed = store instanceof SpillingShuffleStore s ? s.committedMemory() : 0;
        long tasks = ContextInternals.of(kc).memoryManager().executionUsed() - committed;
        if (tasks != 0) {
            throw new AssertionError("execution memory not given back after the test: " + tasks + " bytes held besides "
                    + committed + " of committed shuffle outputs (" + ContextInternals.of(kc).memoryManager() + ")");
        }
        Path dir = kc.localDir();
        List<Path> left = leftFiles(dir);
        if (!left.isEmpty()) {
            throw new AssertionError("temporary files left in the scratch directory after the test: " + left);
        }
    }

    /**
     * The files in {@code dir} that are neither shuffle outputs nor cached blocks. The context
     * cleaner may delete the shuffle files of an RDD collected meanwhile, so a file that vanishes
     * during the walk makes it walk again.
     */
    private static List<Path> leftFiles(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).filter(f -> !kept(dir, f)).toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list the scratch directory " + dir, e);
            }
        }
    }

    private static boolean kept(Path dir, Path file) {
        Path rel = dir.relativize(file);
        return rel.getNameCount() == 1 ? rel.toString().equals(OWNER_FILE)
                : rel.getNameCount() == 2 && KEPT.contains(rel.getName(0).toString());
    }

    /** One run of the class under one configuration. */
    private record Invocation(ContextConfiguration configuration) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int index) {
            return configuration.name();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new PerTest(configuration));
        }
    }

    /** Resolves each test's context and configuration; checks and closes the context after the test. */
    private record PerTest(ContextConfiguration configuration) implements ParameterResolver, AfterEachCallback {

        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ContextFixture.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
            Class<?> type = parameter.getParameter().getType();
            return type == KindlingContext.class || type == ContextConfiguration.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
            if (parameter.getParameter().getType() == ContextConfiguration.class) {
                return configuration;
            }
            return extension.getStore(NS).getOrComputeIfAbsent("kc", k -> open(configuration), KindlingContext.class);
        }

        @Override
        public void afterEach(ExtensionContext extension) {
            KindlingContext kc = extension.getStore(NS).remove("kc", KindlingContext.class);
            if (kc == null) {
                return;
            }
            try {
                if (extension.getExecutionException().isEmpty() && !kc.isClosed()) {
                    assertClean(kc);
                }
            } finally {
                kc.close();
            }
        }
    }
}
