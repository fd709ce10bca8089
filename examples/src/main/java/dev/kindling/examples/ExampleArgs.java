package dev.kindling.examples;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A tiny {@code --name value} command-line parser for the examples, so that each example reads its
 * options in a few lines without a library. Every option takes exactly one value; a bad or unknown
 * option fails with a message that names it and says what was expected.
 *
 * <pre>{@code
 * ExampleArgs a = ExampleArgs.parse("logreg", args, "input", "iterations", "step");
 * int iterations = a.getInt("iterations", 100);
 * }</pre>
 */
public final class ExampleArgs {

    private final String program;
    private final Map<String, String> values;

    private ExampleArgs(String program, Map<String, String> values) {
        this.program = program;
        this.values = values;
    }

    /**
     * Parses {@code --name value} pairs (also {@code --name=value}), accepting only the names in
     * {@code known}.
     *
     * @throws IllegalArgumentException for an unknown option, a missing value or a stray argument
     */
    public static ExampleArgs parse(String program, String[] args, String... known) {
        Set<String> allowed = new HashSet<>(java.util.Arrays.asList(known));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(program + ": unexpected argument '" + arg
                        + "'; options are --name value, one of --" + String.join(", --", known));
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(program + ": option --" + name + " needs a value");
            }
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(program + ": unknown option --" + name
                        + "; known options: --" + String.join(", --", known));
            }
            values.put(name, value);
        }
        return new ExampleArgs(program, values);
    }

    /** Whether the option was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option's text, or {@code fallback} when it was not given. */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The option's integer value, or {@code fallback}; fails naming the option if it is not an integer. */
    public int getInt(String name, int fallback) {
        return (int) getLong(name, fallback);
    }

    /** The option's long value, or {@code fallback}; fails naming the option if it is not an integer. */
    public long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(program + ": --" + name + " must be an integer (got '" + v + "')", e);
        }
    }

    /** The option's numeric value, or {@code fallback}; fails naming the option if it is not a number. */
    public double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(program + ": --" + name + " must be a number (got '" + v + "')", e);
        }
    }

    /** Fails unless {@code value > 0}, naming the option. */
    public static void requirePositive(String program, String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(program + ": --" + name + " must be > 0 (got " + value + ")");
        }
    }
}
