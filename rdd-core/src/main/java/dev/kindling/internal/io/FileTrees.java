package dev.kindling.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing directory trees that Kindling made (scratch directories, output attempts, claims). */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything under it as far as it can, children before parents; a file
     * that cannot be removed is left and the rest still goes. Symbolic links are removed, not
     * followed. Never throws.
     */
    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: leave what cannot be removed (a file still open elsewhere, say).
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // The tree changed or cannot be read: leave the rest.
        }
    }
}
