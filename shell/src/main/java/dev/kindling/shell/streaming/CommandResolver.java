package dev.kindling.shell.streaming;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the program of a streaming command ({@code -mapper}, {@code -combiner}, {@code -reducer})
 * before any task runs, the way Hadoop's task finds it, and says what to do when it cannot:
 * <ol>
 *   <li>a file shipped with {@code -file}/{@code -files} (by its name, with or without {@code ./}),
 *       made executable: the task runs it from its working directory, where each executor has
 *       its copy of the shipped files;</li>
 *   <li>a path with a {@code /} to an executable file;</li>
 *   <li>a program on the PATH.</li>
 * </ol>
 * A program that is none of these is an error (status 3) with a hint: a file of that name in the
 * current directory that was not shipped gets "did you mean -file mapper.py?". An argument that
 * names a file in the current directory that was not shipped ({@code python3 mapper.py}) gets a
 * warning: the command runs in the task's working directory, where that file is not.
 */
final class CommandResolver {

    /** What the first word of a command whose program is a shipped file starts with. */
    static final String SHIPPED = "./";

    private CommandResolver() {
    }

    /** The name of the shipped file that {@code command} runs as its program, or null if it runs another program. */
    static String shippedProgram(List<String> command, List<String> shipped) {
        if (command == null || !command.get(0).startsWith(SHIPPED)) {
            return null;
        }
        String name = command.get(0).substring(SHIPPED.length());
        return shipped.contains(name) ? name : null;
    }

    /**
     * The command's words with its program resolved, or null for an identity command (absent,
     * blank, or Hadoop's IdentityMapper/IdentityReducer).
     *
     * @param option  the option that gave it ({@code -mapper}...), for messages
     * @param shipped the names of the shipped files in the task's working directory; a command whose
     *                program is one of them gets {@code ./name} as its first word (the task runs it
     *                from its working directory, and the job makes it executable)
     * @param err     where warnings go
     */
    static List<String> resolve(String command, String option, List<String> shipped, PrintStream err) {
        if (command == null || command.isBlank() || command.endsWith("IdentityMapper") || command.endsWith("IdentityReducer")) {
            return null;
        }
        List<String> words;
        try {
            words = new ArrayList<>(CommandSplitter.split(command));
        } catch (IllegalArgumentException e) {
            throw new StreamingException(StreamingException.JOB_FAILED, option + ": " + e.getMessage(), e);
        }
        if (words.isEmpty()) {
            return null;
        }
        warnAboutUnshippedArguments(words, option, shipped, err);
        String program = words.get(0);
        String base = program.startsWith("./") ? program.substring(2) : program;
        if (shipped.contains(base)) {
            words.set(0, SHIPPED + base);
            return words;
        }
        String cannot = "Cannot run program \"" + program + "\" given as " + option + ": ";
        if (program.contains("/")) {
            Path p = Path.of(program).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                words.set(0, p.toString());
                return words;
            }
            if (Files.exists(p)) {
                throw new StreamingException(StreamingException.INVALID_CONFIG, cannot + "it is not executable (chmod +x "
                        + program + ", or ship it with -file " + program + ", which makes the copy executable)");
            }
            String name = p.getFileName() == null ? program : p.getFileName().toString();
            throw new StreamingException(StreamingException.INVALID_CONFIG, cannot + "no such file"
                    + (shipped.contains(name) ? "; shipped files are in the task's working directory under their own"
                    + " names: did you mean " + option + " " + name + "?" : "; name an existing file, or ship it with"
                    + " -file <path of " + name + ">"));
        }
        if (onPath(program)) {
            return words;
        }
        String hint;
        if (Files.isRegularFile(Path.of(program))) {
            hint = program + " is in the current directory but was not shipped, and the command runs in the task's"
                    + " working directory: did you mean -file " + program + "?";
        } else if (!shipped.isEmpty()) {
            hint = "it is neither a file shipped with -file/-files (shipped: " + String.join(", ", shipped)
                    + ") nor a program on the PATH";
        } else {
            hint = "it is neither a file shipped with -file/-files nor a program on the PATH; ship it with"
                    + " -file <path of " + program + ">";
        }
        throw new StreamingException(StreamingException.INVALID_CONFIG, cannot + hint);
    }

    /** Warns about arguments that name files in the current directory which the task will not see. */
    private static void warnAboutUnshippedArguments(List<String> words, String option, List<String> shipped,
                                                    PrintStream err) {
        for (String arg : words.subList(1, words.size())) {
            if (arg.startsWith("-") || arg.startsWith("/") || shipped.contains(arg.startsWith("./") ? arg.substring(2) : arg)) {
                continue;
            }
            Path p;
            try {
                p = Path.of(arg);
            } catch (RuntimeException e) {
                continue;
            }
            if (Files.isRegularFile(p)) {
                err.println("WARNING streaming: " + option + " \"" + String.join(" ", words) + "\" names " + arg
                        + ", a file in the current directory that was not shipped; the command runs in the task's"
                        + " working directory, where it is not: did you mean -file " + arg + "?");
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program)) && !Files.isDirectory(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
