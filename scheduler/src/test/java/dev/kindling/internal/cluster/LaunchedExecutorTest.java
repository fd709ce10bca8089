package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An executor's class path holds the driver's class path and, for a driver on the module path, its modules. */
class LaunchedExecutorTest {

    @TempDir
    Path dir;

    @Test
    void aDriversModulePathJoinsTheClassPathWithItsDirectoriesOfModulesExpanded() throws Exception {
        Path mods = Files.createDirectories(dir.resolve("mods"));
        Files.createFile(mods.resolve("b.jar"));
        Files.createFile(mods.resolve("a.jar"));
        Files.createFile(mods.resolve("notes.txt"));
        Path exploded = Files.createDirectories(dir.resolve("exploded"));
        Files.createFile(exploded.resolve("module-info.class"));
        Path single = Files.createFile(dir.resolve("single.jar"));
        String classPath = String.join(File.pathSeparator, "/x/classes", "/x/lib.jar");
        String modulePath = String.join(File.pathSeparator, mods.toString(), exploded.toString(), single.toString());

        String joined = LaunchedExecutor.classPath(classPath, modulePath);

        assertEquals(List.of("/x/classes", "/x/lib.jar", mods.resolve("a.jar").toString(), mods.resolve("b.jar").toString(),
                exploded.toString(), single.toString()), List.of(joined.split(File.pathSeparator)));
    }

    @Test
    void relativeEntriesBecomeAbsoluteBecauseExecutorsRunInTheirScratchDirectory() {
        String classPath = String.join(File.pathSeparator, "target/app.jar", "/x/lib.jar", "lib/*");
        Path cwd = Path.of("").toAbsolutePath();

        assertEquals(List.of(cwd.resolve("target/app.jar").toString(), "/x/lib.jar", cwd.resolve("lib/*").toString()),
                List.of(LaunchedExecutor.classPath(classPath, "").split(File.pathSeparator)));
    }

    @Test
    void aDriverOnTheClassPathOnlyPassesItAsItIs() {
        String classPath = String.join(File.pathSeparator, "/x/classes", "/x/lib.jar");
        assertEquals(classPath, LaunchedExecutor.classPath(classPath, ""));
    }
}
