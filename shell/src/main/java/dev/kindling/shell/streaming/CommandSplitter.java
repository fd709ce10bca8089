package dev.kindling.shell.streaming;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a streaming command ({@code -mapper "cut -f1"}) into program and arguments exactly as
 * Hadoop Streaming does, without a shell (so {@code a | b} passes {@code |} as an argument):
 * <ul>
 *   <li>words end at a space (only {@code ' '}; a TAB is part of a word) outside quotes;</li>
 *   <li>a single or double quote opens a quoted word and the matching quote closes it; the quotes
 *       are removed, and each quote also ends the word before it ({@code a'b c'} is {@code a},
 *       {@code b c});</li>
 *   <li>the other kind of quote inside a quoted word is literal; empty words ({@code ''}) are
 *       dropped; an unclosed quote runs to the end.</li>
 * </ul>
 */
public final class CommandSplitter {

    private static final int OUTSIDE = 0;
    private static final int SINGLE = 1;
    private static final int DOUBLE = 2;

    private CommandSplitter() {
    }

    /** The words of {@code command}. */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        int state = OUTSIDE;
        int start = 0;
        int n = command.length();
        for (int i = 0; i <= n; i++) {
            boolean last = i == n;
            boolean endWord = false;
            if (!last) {
                char c = command.charAt(i);
                int before = state;
                if (c == '\'') {
                    state = state == OUTSIDE ? SINGLE : state == SINGLE ? OUTSIDE : state;
                    endWord = state != before;
                } else if (c == '"') {
                    state = state == OUTSIDE ? DOUBLE : state == DOUBLE ? OUTSIDE : state;
                    endWord = state != before;
                } else if (c == ' ') {
                    endWord = state == OUTSIDE;
                }
            }
            if (last || endWord) {
                if (i > start) {
                    words.add(command.substring(start, i));
                }
                start = i + 1;
            }
        }
        return words;
    }
}
