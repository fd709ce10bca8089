package dev.kindling.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates word-count input: lines of 4 to 16 words drawn from a vocabulary whose frequencies
 * follow Zipf's law (the k-th most common word has weight 1/k), as in natural text, so a few keys
 * are very hot and most are rare.
 */
public final class ZipfText {

    private ZipfText() {
    }

    /**
     * Returns a file of about {@code bytes} bytes in {@code dir}, generating it unless a file with the
     * same parameters is already there (files are reused between runs).
     */
    public static Path generate(Path dir, long bytes, int vocabulary, long seed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("zipf-" + bytes + "-" + vocabulary + "-" + seed + ".txt");
        if (Files.exists(file)) {
            return file;
        }
        double[] cumulative = new double[vocabulary];
        double sum = 0;
        for (int k = 0; k < vocabulary; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        String[] words = new String[vocabulary];
        for (int k = 0; k < vocabulary; k++) {
            words[k] = word(k);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Path tmp = Files.createTempFile(dir, "zipf", ".tmp");
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            while (written < bytes) {
                line.setLength(0);
                int n = 4 + random.nextInt(13);
                for (int i = 0; i < n; i++) {
                    int k = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                    line.append(words[Math.min(k < 0 ? -k - 1 : k, vocabulary - 1)]).append(i + 1 < n ? " " : "\n");
                }
                out.append(line);
                written += line.length();
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** A pronounceable, distinct word for each rank: consonant-vowel syllables from the rank's digits. */
    static String word(int rank) {
        String consonants = "bcdfghklmnprstvz";
        String vowels = "aeiou";
        StringBuilder sb = new StringBuilder();
        int r = rank;
        do {
            sb.append(consonants.charAt(r % 16)).append(vowels.charAt((r / 16) % 5));
            r /= 80;
        } while (r > 0);
        return sb.toString();
    }
}
