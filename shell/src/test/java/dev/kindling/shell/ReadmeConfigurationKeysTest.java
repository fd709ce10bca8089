package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingConf;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Configuration keys" table names exactly the keys Kindling reads: those of
 * {@code KindlingConf.KNOWN_KEYS} (the set that decides which {@code kindling.*} keys get an
 * "unknown key" warning), each once, with a default and a meaning. A key added to the code but not
 * to the table, or a table row for a key the code no longer reads, fails this test.
 */
class ReadmeConfigurationKeysTest {

    /** The rows of the table under the "## Configuration keys" heading: key, default, meaning. */
    static List<String[]> tableRows(List<String> lines) {
        int heading = lines.indexOf("## Configuration keys");
        assertTrue(heading >= 0, "README.md should have a \"## Configuration keys\" section");
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (int i = heading + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
                if (cells[0].strip().startsWith("`")) {
                    rows.add(new String[] {cells[0].strip().replace("`", ""), cells[1].strip(), cells[2].strip()});
                }
            } else if (inTable) {
                break; // the first table of the section is the key table
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    static Set<String> knownKeys() throws ReflectiveOperationException {
        Field f = KindlingConf.class.getDeclaredField("KNOWN_KEYS");
        f.setAccessible(true);
        return new TreeSet<>((Set<String>) f.get(null));
    }

    @Test
    void tableListsExactlyTheKnownKeysEachOnceWithADefaultAndAMeaning() throws Exception {
        List<String[]> rows = tableRows(Readme.lines());
        List<String> keys = rows.stream().map(r -> r[0]).toList();
        Set<String> documented = new TreeSet<>(keys);
        assertEquals(keys.size(), documented.size(), "a key appears twice in README.md's Configuration keys table: " + keys);

        Set<String> known = knownKeys();
        assertTrue(known.size() >= 20, "KindlingConf.KNOWN_KEYS looks incomplete: " + known);
        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known);
        assertTrue(missing.isEmpty(), "keys Kindling reads but README.md's Configuration keys table lacks: "
                + missing + "; add a row (key, default, meaning) for each");
        assertTrue(unknown.isEmpty(), "keys in README.md's Configuration keys table that KindlingConf.KNOWN_KEYS "
                + "does not know (a context would warn about them): " + unknown
                + "; remove the row or add the key to KNOWN_KEYS");
        for (String[] row : rows) {
            assertFalse(row[1].isEmpty(), "no default for " + row[0] + " in README.md's Configuration keys table");
            assertFalse(row[2].isEmpty(), "no meaning for " + row[0] + " in README.md's Configuration keys table");
        }
    }

    /** {@code kindling.*} names the README mentions that are not configuration keys of a context. */
    private static final Set<String> NOT_KEYS = Set.of(
            "kindling.job.description", "kindling.jobGroup.id",        // local properties (setJobDescription, setJobGroup)
            "kindling.test.saveTrials", "kindling.test.killTrials",    // system properties of two tests
            "kindling.task.maxFailure");                               // the misspelt key of the warning example

    /** Names after {@code kindling.} that are not preceded by {@code dev.} (packages and classes are). */
    private static final Pattern MENTION = Pattern.compile("(?<![\\w.])kindling(\\.[a-z][A-Za-z]*)+");

    @Test
    void everyKeyTheReadmeMentionsElsewhereIsInTheTable() throws Exception {
        List<String> lines = Readme.lines();
        Set<String> documented = new TreeSet<>(tableRows(lines).stream().map(r -> r[0]).toList());
        Set<String> undocumented = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MENTION.matcher(lines.get(i));
            while (m.find()) {
                String name = m.group();
                // kindling.hadoop.<key>: any Hadoop key, passed on to Hadoop's configuration (README, YARN client mode).
                if (!documented.contains(name) && !NOT_KEYS.contains(name) && !(name + ".").startsWith("kindling.hadoop.")) {
                    undocumented.add(name + " (line " + (i + 1) + ")");
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "README.md mentions keys that its Configuration keys table lacks: "
                + undocumented + "; add them to the table (and to KindlingConf.KNOWN_KEYS), or to NOT_KEYS here "
                + "if they are not configuration keys");
    }

    @Test
    void tableParserSeesMissingAndExtraRows() {
        List<String> readme = List.of("# X", "## Configuration keys", "", "| key | default | meaning |", "|---|---|---|",
                "| `kindling.a` | `1` | one |", "| `kindling.b` | unset | two \\| or three |", "",
                "| `kindling.c` | `3` | a later table is not the key table |", "## Next", "| `kindling.d` | 4 | x |");
        List<String> keys = tableRows(readme).stream().map(r -> r[0]).toList();
        assertEquals(List.of("kindling.a", "kindling.b"), keys);
    }
}
