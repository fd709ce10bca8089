package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The building blocks of the streaming runner: Hadoop's Text hash and order, key/value splitting, command splitting, options. */
class StreamingPiecesTest {

    private static StreamRecord key(String k) {
        return new KeyFieldSplitter("\t", 1).split((k + "\tv").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textHashMatchesHandComputedValuesAndTheFormula() {
        assertEquals(1, key("").keyHash());
        assertEquals(31 + 'a', key("a").keyHash());
        assertEquals(31 * (31 + 'a') + 'b', key("ab").keyHash());
        // 'é' is C3 A9 in UTF-8: signed bytes -61 and -87.
        assertEquals(31 * (31 - 61) - 87, key("é").keyHash());
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String k = randomWord(random);
            int h = 1;
            for (byte b : k.getBytes(StandardCharsets.UTF_8)) {
                h = h * 31 + b;
            }
            int expected = (h & 0x7fffffff) % 7;
            assertEquals(expected, new HadoopTextPartitioner(7).getPartition(key(k)), k);
        }
    }

    private static String randomWord(Random random) {
        String alphabet = "abcXYZé€ 0";
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void recordsSortByUnsignedKeyBytesThenValue() {
        List<String> keys = new ArrayList<>(List.of("b", "a", "é", "Z", "ab", "", "a\u0001"));
        List<StreamRecord> records = new ArrayList<>();
        for (String k : keys) {
            records.add(key(k));
        }
        records.add(new KeyFieldSplitter("\t", 1).split("a\tA".getBytes(StandardCharsets.UTF_8)));
        records.sort(StreamRecord.ORDER);
        List<String> sorted = records.stream().map(StreamRecord::toString).toList();
        assertEquals(List.of("\tv", "Z\tv", "a\tA", "a\tv", "a\u0001\tv", "ab\tv", "b\tv", "é\tv"), sorted);
    }

    private static String split(String sep, int fields, String line) {
        return new KeyFieldSplitter(sep, fields).split(line.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void keyIsEverythingBeforeTheNthSeparatorAndFewerSeparatorsMakeTheWholeLineTheKey() {
        assertEquals("k\tv", split("\t", 1, "k\tv"));
        assertEquals("k\tv\tw", split("\t", 1, "k\tv\tw"));
        assertEquals("k\tv\tw", split("\t", 2, "k\tv\tw"));
        assertEquals("no tab\t", split("\t", 1, "no tab"));
        assertEquals("k\t\t", split("\t", 2, "k\t"));
        assertEquals("a.b\tc.d", split(".", 2, "a.b.c.d"));
        assertEquals("a.b\t", split(".", 3, "a.b"));
        assertEquals("a\tb::c", split("::", 1, "a::b::c"));
        assertEquals("\t", split("\t", 1, ""));
        StreamRecord r = new KeyFieldSplitter(".", 2).split("a.b.c".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, r.keyLength());
        assertEquals(1, r.valueLength());
    }

    @Test
    void commandsSplitOnSpacesKeepingQuotedTextTogether() {
        assertEquals(List.of("cut", "-f1"), CommandSplitter.split("cut -f1"));
        assertEquals(List.of("tr", " ", "\n"), CommandSplitter.split("tr \" \" \"\n\""));
        assertEquals(List.of("sh", "-c", "a | b"), CommandSplitter.split("sh -c 'a | b'"));
        assertEquals(List.of("x|y", "it's"), CommandSplitter.split("x|y \"it's\""));
        assertEquals(List.of("a", "b"), CommandSplitter.split("a '' b"));
        assertEquals(List.of("a", "b c", "d"), CommandSplitter.split("a'b c'd"));
        assertEquals(List.of("say", "he said \"hi\""), CommandSplitter.split("say 'he said \"hi\"'"));
        assertEquals(List.of("sed", "s/ /\t/g"), CommandSplitter.split("sed 's/ /\t/g'"));
        assertEquals(List.of("tab\there"), CommandSplitter.split("tab\there"));
        assertEquals(List.of("echo", "open end"), CommandSplitter.split("echo 'open end"));
    }

    @Test
    void optionsParseHadoopsSyntaxAndReportErrorsWithHadoopsExitCodes() {
        StreamingOptions o = StreamingOptions.parse("-D", "mapreduce.job.reduces=3", "-Dstream.num.map.output.key.fields=2",
                "-files", "a.py,b.py#bee", "-input", "x", "-input", "y*", "-output", "out", "-mapper", "cat",
                "-reducer", "wc -l", "-file", "c.py", "-cmdenv", "A=1=2", "-verbose");
        assertEquals(List.of("x", "y*"), o.inputs);
        assertEquals(3, o.reduceTasks());
        assertEquals(2, o.intSetting("stream.num.map.output.key.fields", 1));
        assertEquals(List.of("a.py", "b.py#bee", "c.py"), o.files);
        assertEquals("1=2", o.cmdenv.get("A"));
        assertEquals(0, StreamingOptions.parse("-input", "x", "-output", "o", "-reducer", "NONE", "-numReduceTasks", "5")
                .reduceTasks());
        assertEquals(2, StreamingOptions.parse("-input", "x", "-output", "o", "-numReduceTasks", "2",
                "-D", "mapreduce.job.reduces=9").reduceTasks());
        assertEquals(1, StreamingOptions.parse("-input", "x", "-output", "o").reduceTasks());

        assertEquals(1, code(() -> StreamingOptions.parse("-output", "o")));
        assertEquals(1, code(() -> StreamingOptions.parse("-input", "x", "-output", "o", "-bogus")));
        assertEquals(1, code(() -> StreamingOptions.parse("-input", "x", "-output")));
        assertEquals(3, code(() -> StreamingOptions.parse("-input", "x", "-output", "o", "-numReduceTasks", "two")));
        assertEquals(3, code(() -> StreamingOptions.parse("-input", "x", "-output", "o", "-D", "mapreduce.job.reduces=z")
                .reduceTasks()));
        assertEquals(3, code(() -> StreamingOptions.parse("-inputformat", "SequenceFileInputFormat", "-input", "x")));
        assertTrue(StreamingOptions.parse("-help").help);
    }

    private static int code(Runnable r) {
        return assertThrows(StreamingException.class, r::run).exitCode();
    }

    @Test
    void environmentNamesReplaceEveryNonAlphanumericByUnderscore() {
        assertEquals("mapreduce_job_name", StreamingJob.envName("mapreduce.job.name"));
        assertEquals("a_b_c_1", StreamingJob.envName("a-b c.1"));
    }
}
