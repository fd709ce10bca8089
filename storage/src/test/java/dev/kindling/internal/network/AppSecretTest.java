package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Making, storing and reading the application's secret. */
class AppSecretTest {

    @TempDir
    Path dir;

    private static byte[] probe(AppSecret s) {
        return s.hmac(new byte[] {1, 2, 3});
    }

    @Test
    void eachSecretIsFreshAnd256BitsLong() {
        AppSecret a = AppSecret.generate();
        assertEquals(64, a.toEnvironmentValue().length());
        assertNotEquals(a.toEnvironmentValue(), AppSecret.generate().toEnvironmentValue());
    }

    @Test
    void theSecretFileIsOwnerOnlyAndReadsBackTheSameSecret() throws IOException {
        AppSecret secret = AppSecret.generate();
        Path file = dir.resolve("app.secret");
        secret.writeTo(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(probe(secret), probe(AppSecret.readFrom(file)));
    }

    @Test
    void aSecretFileIsNeverOverwritten() throws IOException {
        Path file = dir.resolve("app.secret");
        AppSecret first = AppSecret.generate();
        first.writeTo(file);
        assertThrows(FileAlreadyExistsException.class, () -> AppSecret.generate().writeTo(file));
        assertArrayEquals(probe(first), probe(AppSecret.readFrom(file)));
    }

    @Test
    void aSecretFileOthersCanReadIsRefusedWithTheFix() throws IOException {
        Path file = dir.resolve("app.secret");
        AppSecret.generate().writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> AppSecret.readFrom(file));
        assertTrue(e.getMessage().contains("rw-r--r--") && e.getMessage().contains("chmod 600 " + file), e.getMessage());
    }

    @Test
    void theEnvironmentCarriesTheSecretToAChildProcess() {
        AppSecret secret = AppSecret.generate();
        AppSecret read = AppSecret.fromEnvironment(Map.of(AppSecret.ENV_VAR, secret.toEnvironmentValue()));
        assertArrayEquals(probe(secret), probe(read));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> AppSecret.fromEnvironment(Map.of()));
        assertTrue(missing.getMessage().contains(AppSecret.ENV_VAR));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AppSecret.fromEnvironment(Map.of(AppSecret.ENV_VAR, "abc")));
        assertTrue(bad.getMessage().contains("64 hexadecimal digits"), bad.getMessage());
    }

    @Test
    void toStringNeverShowsTheSecret() {
        AppSecret secret = AppSecret.generate();
        assertFalse(secret.toString().contains(secret.toEnvironmentValue().substring(0, 8)));
    }
}
