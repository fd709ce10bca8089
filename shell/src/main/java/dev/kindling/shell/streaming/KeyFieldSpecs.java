package dev.kindling.shell.streaming;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code -k pos1[,pos2]} key specifications shared by {@link KeyFieldComparator} and
 * {@link KeyFieldPartitioner}, with the rules of Hadoop's {@code KeyFieldHelper}, so that a key
 * selects the same bytes it selects on Hadoop:
 * <ol>
 *   <li>Options are words separated by white space: {@code -kPOS1[,POS2]} (or {@code -k POS1[,POS2]}),
 *       and the global flags {@code -n}, {@code -r}, {@code -nr}, which apply to every {@code -k}
 *       without flags of its own (and, with no {@code -k}, to the whole key). Other words are
 *       ignored, as Hadoop ignores them; {@link #ignored()} lists them for a warning.</li>
 *   <li>{@code POS} is {@code F[.C][n][r]}: field F (from 1), character C (a byte, from 1; 1 by
 *       default in POS1, 0 = the field's last byte by default in POS2). No POS2 means to the end of
 *       the key (the key, not the line: the comparator and partitioner never see the value).</li>
 *   <li>Fields are separated by {@code mapreduce.map.output.key.field.separator} (TAB by default).
 *       A field past the last one is missing: it compares before any present field (after with
 *       {@code r}) and adds nothing to the partitioner's hash.</li>
 *   <li>Offsets are counted in the key as a whole: a character position past the end of its field
 *       runs on into the next field, as on Hadoop (GNU sort stops at the field's end).</li>
 * </ol>
 */
final class KeyFieldSpecs implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One {@code -k}: fields and characters from 1; {@code endField} 0 = to the end of the key. */
    record Spec(int beginField, int beginChar, int endField, int endChar, boolean numeric, boolean reverse)
            implements Serializable {
    }

    private final List<Spec> specs;
    /** Whether some {@code -k} was given (otherwise the whole key is one field). */
    private final boolean fieldsGiven;
    private final byte[] separator;
    private final List<String> ignored;

    private KeyFieldSpecs(List<Spec> specs, boolean fieldsGiven, byte[] separator, List<String> ignored) {
        this.specs = List.copyOf(specs);
        this.fieldsGiven = fieldsGiven;
        this.separator = separator;
        this.ignored = List.copyOf(ignored);
    }

    /**
     * Parses {@code options} ({@code null} or empty: no specification, the whole key compared as
     * bytes) with fields separated by {@code separator}; throws {@link IllegalArgumentException}
     * naming the malformed {@code -k}.
     */
    static KeyFieldSpecs parse(String options, String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("the key field separator must not be empty");
        }
        byte[] sep = separator.getBytes(StandardCharsets.UTF_8);
        if (options == null || options.isEmpty()) {
            return new KeyFieldSpecs(List.of(), false, sep, List.of());
        }
        List<Spec> specs = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        boolean numeric = false;
        boolean reverse = false;
        String[] words = options.trim().split("\\s+");
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            switch (word) {
                case "-n" -> numeric = true;
                case "-r" -> reverse = true;
                case "-nr" -> {
                    numeric = true;
                    reverse = true;
                }
                default -> {
                    if (word.startsWith("-k")) {
                        String arg = word.length() > 2 ? word.substring(2) : w + 1 < words.length ? words[++w] : "";
                        if (!arg.isEmpty()) {
                            specs.add(parseKey(arg));
                        }
                    } else if (!word.isEmpty()) {
                        ignored.add(word);
                    }
                }
            }
        }
        boolean fieldsGiven = !specs.isEmpty();
        List<Spec> withGlobals = new ArrayList<>();
        for (Spec s : specs) {
            withGlobals.add(s.numeric || s.reverse ? s
                    : new Spec(s.beginField, s.beginChar, s.endField, s.endChar, numeric, reverse));
        }
        if (withGlobals.isEmpty()) {
            withGlobals.add(new Spec(1, 1, 0, 0, numeric, reverse));
        }
        return new KeyFieldSpecs(withGlobals, fieldsGiven, sep, ignored);
    }

    /** A specification of the deprecated {@code num.key.fields.for.partition=n}: fields 1 to n (none if n < 1). */
    static KeyFieldSpecs firstFields(int n, String separator) {
        byte[] sep = separator.getBytes(StandardCharsets.UTF_8);
        return n < 1 ? new KeyFieldSpecs(List.of(), false, sep, List.of())
                : new KeyFieldSpecs(List.of(new Spec(1, 1, n, 0, false, false)), true, sep, List.of());
    }

    /** {@code F[.C][nr][,F[.C][nr]]}. */
    private static Spec parseKey(String arg) {
        int[] at = {0};
        int beginField = number(arg, at, "a field number");
        int beginChar = 1;
        if (at[0] < arg.length() && arg.charAt(at[0]) == '.') {
            at[0]++;
            beginChar = number(arg, at, "a character position after '.'");
        }
        boolean numeric = false;
        boolean reverse = false;
        for (; at[0] < arg.length() && (arg.charAt(at[0]) == 'n' || arg.charAt(at[0]) == 'r'); at[0]++) {
            numeric |= arg.charAt(at[0]) == 'n';
            reverse |= arg.charAt(at[0]) == 'r';
        }
        int endField = 0;
        int endChar = 0;
        if (at[0] < arg.length() && arg.charAt(at[0]) == ',') {
            at[0]++;
            endField = number(arg, at, "a field number after ','");
            if (at[0] < arg.length() && arg.charAt(at[0]) == '.') {
                at[0]++;
                endChar = number(arg, at, "a character position after '.'");
            }
            for (; at[0] < arg.length() && (arg.charAt(at[0]) == 'n' || arg.charAt(at[0]) == 'r'); at[0]++) {
                numeric |= arg.charAt(at[0]) == 'n';
                reverse |= arg.charAt(at[0]) == 'r';
            }
            if (endField < 1) {
                throw invalid(arg, "the end field must be at least 1");
            }
        }
        if (at[0] != arg.length()) {
            throw invalid(arg, "unexpected '" + arg.charAt(at[0]) + "' at position " + (at[0] + 1));
        }
        if (beginField < 1 || beginChar < 1) {
            throw invalid(arg, "fields and characters of the start position count from 1");
        }
        return new Spec(beginField, beginChar, endField, endChar, numeric, reverse);
    }

    private static int number(String arg, int[] at, String what) {
        int from = at[0];
        while (at[0] < arg.length() && Character.isDigit(arg.charAt(at[0])) && arg.charAt(at[0]) < 128) {
            at[0]++;
        }
        if (at[0] == from) {
            throw invalid(arg, "expected " + what + " at position " + (from + 1));
        }
        try {
            return Integer.parseInt(arg.substring(from, at[0]));
        } catch (NumberFormatException e) {
            throw invalid(arg, "number too large");
        }
    }

    private static IllegalArgumentException invalid(String arg, String why) {
        return new IllegalArgumentException("invalid key specification -k" + arg + ": " + why
                + " (expected -k pos1[,pos2], each pos of the form f[.c][n][r], e.g. -k2,2nr)");
    }

    /** The specifications in order (one covering the whole key when no {@code -k} was given; none when there were no options). */
    List<Spec> specs() {
        return specs;
    }

    /** Option words Hadoop ignores (for a warning). */
    List<String> ignored() {
        return ignored;
    }

    /**
     * Field lengths of {@code key[from, to)}: element 0 is the number of fields, element i the
     * length of field i. As on Hadoop, the search for the next separator resumes one byte after
     * the start of the previous one (which matters only for separators longer than a byte).
     */
    int[] fieldLengths(byte[] key, int from, int to) {
        if (!fieldsGiven) {
            return new int[] {1};
        }
        int[] lengths = new int[10];
        int count = 1;
        int start = from;
        for (int pos; (pos = find(key, start, to)) >= 0; start = pos + 1) {
            count++;
            if (count == lengths.length) {
                lengths = java.util.Arrays.copyOf(lengths, lengths.length * 2);
            }
            lengths[count - 1] = pos - start;
        }
        lengths[count] = to - start;
        lengths[0] = count;
        return lengths;
    }

    /** Index of the first byte {@code s} selects in {@code key[from, to)}, or -1 if its start field or character is missing. */
    int start(int from, int to, int[] lengths, Spec s) {
        if (lengths[0] < s.beginField) {
            return -1;
        }
        int position = 0;
        for (int i = 1; i < s.beginField; i++) {
            position += lengths[i] + separator.length;
        }
        return position + s.beginChar <= to - from ? from + position + s.beginChar - 1 : -1;
    }

    /** Index of the last byte {@code s} selects in {@code key[from, to)} (may be before {@link #start}: nothing selected). */
    int end(int from, int to, int[] lengths, Spec s) {
        if (s.endField == 0 || lengths[0] < s.endField) {
            return to - 1;
        }
        int position = 0;
        for (int i = 1; i < s.endField; i++) {
            position += lengths[i] + separator.length;
        }
        if (s.endChar == 0) {
            position += lengths[s.endField];
        }
        return position + s.endChar <= to - from ? from + position + s.endChar - 1 : to - 1;
    }

    private int find(byte[] b, int from, int to) {
        outer:
        for (int i = from; i <= to - separator.length; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (b[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return specs.toString();
    }
}
