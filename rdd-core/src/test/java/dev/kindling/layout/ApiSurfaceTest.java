package dev.kindling.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.storage.StorageLevel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No internal type leaks into the public API: every public or protected constructor, method and
 * field of a public type in a package that a Kindling module exports to everyone (read from the
 * modules' {@code module-info.class}) mentions only JDK types, types of those exported packages,
 * type variables, or a third-party type listed in {@link #THIRD_PARTY} with its reason.
 */
class ApiSurfaceTest {

    /** The modules whose unqualified exports make up the API, found through one class of each. */
    private static final List<Class<?>> MODULE_ANCHORS = List.of(StorageLevel.class, Partitioner.class,
            KindlingContext.class);

    /**
     * Third-party packages the API may mention, each with why. Kryo: {@code KryoRegistrator} hands the
     * user the {@code Kryo} instance to register classes with (as Spark's does); the storage module
     * {@code requires transitive} Kryo for that reason.
     */
    private static final Map<String, String> THIRD_PARTY = Map.of(
            "com.esotericsoftware.kryo", "KryoRegistrator.registerClasses(Kryo) is the registration hook");

    @Test
    void exportedPackagesAreTheApiPackages() throws Exception {
        assertEquals(Set.of("dev.kindling", "dev.kindling.function", "dev.kindling.scheduler", "dev.kindling.storage"),
                apiPackages(), "unqualified exports of storage, scheduler and rdd-core");
    }

    @Test
    void noPublicMemberOfAnApiTypeMentionsANonApiType() throws Exception {
        Set<String> api = apiPackages();
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (Class<?> anchor : MODULE_ANCHORS) {
            for (String name : classNames(location(anchor), api)) {
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (isVisible(type)) {
                    leaks.addAll(leaksOf(type, api));
                    checked++;
                }
            }
        }
        assertTrue(checked > 60, "found the API types (" + checked + "), so the scan looked in the right place");
        assertEquals(List.of(), leaks, "internal types in the public API; move the type to an API package, "
                + "or the member behind an internal handle (ContextInternals, TaskContextAccess)");
    }

    /** The check itself: a public type whose members mention an internal type is reported, member by member. */
    @Test
    void aLeakingTypeIsReported() {
        List<String> leaks = leaksOf(Leaky.class, Set.of("dev.kindling"));
        assertEquals(List.of(
                Leaky.class.getName() + ": field hidden mentions dev.kindling.internal.util.Unchecked",
                Leaky.class.getName() + ": method list mentions dev.kindling.internal.ContextInternals"),
                leaks.stream().sorted().collect(Collectors.toList()));
    }

    /** A deliberately leaking type, for {@link #aLeakingTypeIsReported()}. */
    public static class Leaky {
        /** Mentions an internal type in a field. */
        public dev.kindling.internal.util.Unchecked hidden;

        /** Fine: JDK and type variables only. */
        public <T> List<T> fine(Map<String, ? extends T> m) {
            return List.of();
        }

        /** Mentions an internal type in a type argument of its result. */
        public <T> List<? super dev.kindling.internal.ContextInternals> list(T t) {
            return List.of();
        }

        /** Package-private members are not API. */
        dev.kindling.internal.ContextInternals notApi() {
            return null;
        }
    }

    static Set<String> apiPackages() throws IOException, URISyntaxException {
        Set<String> api = new TreeSet<>();
        for (Class<?> anchor : MODULE_ANCHORS) {
            ModuleDescriptor module = descriptor(location(anchor));
            module.exports().stream().filter(e -> !e.isQualified()).forEach(e -> api.add(e.source()));
        }
        return api;
    }

    static Path location(Class<?> anchor) throws URISyntaxException {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (FileSystem jar = FileSystems.newFileSystem(location);
             InputStream in = Files.newInputStream(jar.getPath("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** Names of the classes (nested ones included) directly in one of {@code packages} under {@code location}. */
    private static List<String> classNames(Path location, Set<String> packages) throws IOException {
        if (Files.isDirectory(location)) {
            return classNamesUnder(location, packages);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return classNamesUnder(jar.getPath("/"), packages);
        }
    }

    private static List<String> classNamesUnder(Path root, Set<String> packages) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class") && !p.endsWith("package-info.class"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> packages.contains(n.substring(0, n.lastIndexOf('.'))))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Public, and every enclosing type public (or protected, for nested types). */
    private static boolean isVisible(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            int m = c.getModifiers();
            boolean visible = Modifier.isPublic(m) || (c.getDeclaringClass() != null && Modifier.isProtected(m));
            if (!visible) {
                return false;
            }
        }
        return true;
    }

    static List<String> leaksOf(Class<?> type, Set<String> api) {
        List<String> leaks = new ArrayList<>();
        String owner = type.getName();
        check(leaks, owner, "superclass", type.getGenericSuperclass(), api);
        for (Type i : type.getGenericInterfaces()) {
            check(leaks, owner, "interface", i, api);
        }
        for (TypeVariable<?> v : type.getTypeParameters()) {
            for (Type b : v.getBounds()) {
                check(leaks, owner, "type parameter " + v.getName(), b, api);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (exposed(f)) {
                check(leaks, owner, "field " + f.getName(), f.getGenericType(), api);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (exposed(c) && !Modifier.isPrivate(type.getModifiers())) {
                checkExecutable(leaks, owner, "constructor", c, api);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (exposed(m) && !m.isBridge()) {
                check(leaks, owner, "method " + m.getName(), m.getGenericReturnType(), api);
                checkExecutable(leaks, owner, "method " + m.getName(), m, api);
            }
        }
        return leaks;
    }

    private static boolean exposed(Member member) {
        int m = member.getModifiers();
        return !member.isSynthetic() && (Modifier.isPublic(m) || Modifier.isProtected(m));
    }

    private static void checkExecutable(List<String> leaks, String owner, String what, Executable e, Set<String> api) {
        String name = what;
        for (TypeVariable<?> v : e.getTypeParameters()) {
            for (Type b : v.getBounds()) {
                check(leaks, owner, name, b, api);
            }
        }
        for (Type p : e.getGenericParameterTypes()) {
            check(leaks, owner, name, p, api);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(leaks, owner, name, x, api);
        }
    }

    private static void check(List<String> leaks, String owner, String what, Type type, Set<String> api) {
        Set<String> bad = new TreeSet<>();
        collectNonApi(type, api, bad);
        for (String b : bad) {
            String entry = owner + ": " + what + " mentions " + b;
            if (!leaks.contains(entry)) {
                leaks.add(entry);
            }
        }
    }

    private static void collectNonApi(Type type, Set<String> api, Set<String> bad) {
        if (type == null || type instanceof TypeVariable<?>) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive() && !allowed(c, api)) {
                bad.add(c.getName().replace('$', '.'));
            }
        } else if (type instanceof ParameterizedType p) {
            collectNonApi(p.getRawType(), api, bad);
            if (p.getOwnerType() != null) {
                collectNonApi(p.getOwnerType(), api, bad);
            }
            for (Type a : p.getActualTypeArguments()) {
                collectNonApi(a, api, bad);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collectNonApi(b, api, bad);
            }
            for (Type b : w.getLowerBounds()) {
                collectNonApi(b, api, bad);
            }
        } else if (type instanceof GenericArrayType g) {
            collectNonApi(g.getGenericComponentType(), api, bad);
        }
    }

    private static boolean allowed(Class<?> c, Set<String> api) {
        String pkg = c.getPackageName();
        Module module = c.getModule();
        boolean jdk = module.isNamed() && (module.getName().startsWith("java.") || module.getName().startsWith("jdk."));
        return jdk || api.contains(pkg) || THIRD_PARTY.containsKey(pkg);
    }
}
