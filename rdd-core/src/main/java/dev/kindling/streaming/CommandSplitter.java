package dev.kindling.streaming;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a streaming command ({@code -mapper "cut -f1"}) into program and arguments the way
 * Hadoop Streaming does: on spaces, keeping text in single or double quotes together (quotes
 * removed), without a shell, so {@code a | b} passes {@code |} as an argument.
 */
public final class CommandSplitter {

    private CommandSplitter() {
    }

    /** The words of {@code command}; throws if a quote is not closed. */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unclosed " + quote + " quote in command: " + command);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
