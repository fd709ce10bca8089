package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.testing.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: {@code textFile} kept a UTF-8 byte order mark at the start of a file as U+FEFF on
 * the first line. Hadoop's LineRecordReader drops it, only at byte 0 of the file (so only the
 * first split's reader, whatever the split size); a mark anywhere else is data.
 */
@ExtendWith(LocalContext.class)
class ByteOrderMarkTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    /** The reference: the whole file's lines after removing a leading mark. */
    private static List<String> expected(byte[] content) {
        boolean marked = content.length >= 3 && Arrays.equals(Arrays.copyOf(content, 3), BOM);
        return TextInputSplitTest.referenceLines(marked ? Arrays.copyOfRange(content, 3, content.length) : content);
    }

    private static byte[] withBom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BOM);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aLeadingMarkIsDroppedForEverySplitSize() throws IOException {
        String[] texts = {"", "\n", "a", "first\nsecond\n", "\r\nx", "ab\rcd\r\n\ufeffkept\n", "é\nü"};
        for (String text : texts) {
            byte[] content = withBom(text);
            Path file = Files.write(Files.createTempFile(dir, "bom", ".txt"), content);
            for (long size = 1; size <= content.length + 1; size++) {
                List<FileSplit> plan = TextFileRDD.plan(List.of(file), 1, size);
                assertEquals(expected(content), TextInputSplitTest.readAllSplits(plan),
                        "split size " + size + " of " + text.replace("\n", "\\n").replace("\r", "\\r"));
            }
        }
    }

    @Test
    void textFileDropsTheMarkOfEachFileButKeepsOneInsideAFile(KindlingContext kc) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.txt"), withBom("alpha\nbeta\n"));
        Files.write(in.resolve("b.txt"), withBom("\ufeffdouble\ngamma"));
        Files.write(in.resolve("c.txt"), "plain\n\ufeffmiddle\n".getBytes(StandardCharsets.UTF_8));
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(in.resolve("d.txt.gz")))) {
            gz.write(withBom("zipped\n"));
        }
        List<String> reference = new ArrayList<>();
        reference.addAll(List.of("alpha", "beta"));
        reference.addAll(List.of("\ufeffdouble", "gamma"));
        reference.addAll(List.of("plain", "\ufeffmiddle"));
        reference.add("zipped");

        for (int min = 1; min <= 8; min++) {
            List<String> lines = new ArrayList<>(kc.textFile(in.toString(), min).collect());
            assertEquals(reference, lines, "minPartitions " + min);
        }
    }
}
