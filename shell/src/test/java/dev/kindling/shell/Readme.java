package dev.kindling.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's README.md, read by the tests that keep its code and commands true. */
final class Readme {

    /** A fenced code block: its language, first line number in README.md (1-based) and text. */
    record CodeBlock(String language, int firstLine, List<String> lines) {
    }

    /** A {@code bin/kindling run ...} command found in README.md, and the line it is on. */
    record Command(int line, String text) {
    }

    private static final Pattern INLINE_RUN = Pattern.compile("`(bin/kindling run [^`]*)`");

    private Readme() {
    }

    /** The repository's root (tests run in the shell module's directory). */
    static Path root() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    /** The lines of README.md. */
    static List<String> lines() throws IOException {
        return Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
    }

    /** The fenced code blocks of {@code language} (e.g. "java"), in order. */
    static List<CodeBlock> codeBlocks(String language) throws IOException {
        List<String> lines = lines();
        List<CodeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```")) {
                continue;
            }
            String lang = fence.substring(3).strip();
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            if (lang.equals(language)) {
                blocks.add(new CodeBlock(lang, start + 1, List.copyOf(lines.subList(start, end))));
            }
            i = end;
        }
        return blocks;
    }

    /**
     * Every {@code bin/kindling run} command in README.md: lines of code blocks that start with it
     * and inline code spans that hold one; a trailing {@code # comment} is dropped.
     */
    static List<Command> runCommands() throws IOException {
        List<String> lines = lines();
        List<Command> commands = new ArrayList<>();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                String code = line.strip();
                if (code.startsWith("bin/kindling run ")) {
                    int comment = code.indexOf(" #");
                    commands.add(new Command(i + 1, (comment >= 0 ? code.substring(0, comment) : code).strip()));
                }
            } else {
                Matcher m = INLINE_RUN.matcher(line);
                while (m.find()) {
                    commands.add(new Command(i + 1, m.group(1).strip()));
                }
            }
        }
        return commands;
    }
}
