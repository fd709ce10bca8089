package dev.kindling.internal.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-application secret every connection proves knowledge of before any other frame is acted on:
 * 256 random bits made by the driver, handed to executors through an environment variable
 * ({@value #ENV_VAR}) or a file only its owner can read, never on a command line (where {@code ps} shows
 * it). {@link #toString()} never reveals it.
 */
public final class AppSecret {

    /** The environment variable a driver sets for the processes it starts. */
    public static final String ENV_VAR = "KINDLING_APP_SECRET";
    /** Length of a secret in bytes. */
    public static final int BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final byte[] key;

    private AppSecret(byte[] key) {
        this.key = key;
    }

    /** A fresh secret of 256 bits from a {@link SecureRandom}. */
    public static AppSecret generate() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return new AppSecret(key);
    }

    /**
     * Writes the secret to a new file that only its owner may read and write (created with those
     * permissions, so it is never readable by others, not even for a moment); an existing file is
     * never overwritten.
     */
    public void writeTo(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "an app secret file is never overwritten; delete it or choose another path");
        }
        Files.write(file, toEnvironmentValue().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Reads a secret written by {@link #writeTo}; refuses a file that its group or others may read or
     * write, naming the file, its permissions and the {@code chmod} that fixes it.
     */
    public static AppSecret readFrom(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IOException("App secret file " + file + " has permissions " + PosixFilePermissions.toString(perms)
                    + "; it must be readable by its owner only: chmod 600 " + file);
        }
        return parse(Files.readString(file, StandardCharsets.US_ASCII).trim(), "file " + file);
    }

    /** Reads the secret from the environment variable {@value #ENV_VAR} of this process. */
    public static AppSecret fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the secret from {@value #ENV_VAR} in {@code env}; a missing or malformed value is an error naming it. */
    public static AppSecret fromEnvironment(Map<String, String> env) {
        String value = env.get(ENV_VAR);
        if (value == null) {
            throw new IllegalStateException("No app secret: the environment variable " + ENV_VAR
                    + " is not set; the process that starts an executor must set it (or pass a secret file)");
        }
        return parse(value.trim(), "environment variable " + ENV_VAR);
    }

    private static AppSecret parse(String hex, String where) {
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("The app secret in " + where + " must be " + 2 * BYTES
                    + " hexadecimal digits (got " + hex.length() + " characters)");
        }
        try {
            return new AppSecret(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The app secret in " + where + " is not hexadecimal", e);
        }
    }

    /** The secret as 64 hexadecimal digits, the value to put in {@value #ENV_VAR} of a child process. */
    public String toEnvironmentValue() {
        return HexFormat.of().formatHex(key);
    }

    /** HMAC-SHA256 under this secret of the parts, in order. */
    byte[] hmac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Never the secret itself. */
    @Override
    public String toString() {
        return "AppSecret[256 bits, redacted]";
    }
}
