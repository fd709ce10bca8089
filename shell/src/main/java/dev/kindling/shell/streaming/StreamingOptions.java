package dev.kindling.shell.streaming;

import dev.kindling.internal.io.SubprocessPipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The command line of a Hadoop Streaming job, parsed: {@code [generic options] [streaming
 * options]} with Hadoop's single-dash option names. Generic options: {@code -D key=value},
 * {@code -conf file.xml}, {@code -files a,b#link}, {@code -fs local}, {@code -jt local}, and Kindling's
 * {@code --master M} (the same as {@code -D kindling.master=M}, as the other commands take it). Streaming
 * options: {@code -input} (repeatable), {@code -output}, {@code -mapper}, {@code -combiner},
 * {@code -reducer} ({@code NONE} = map-only), {@code -file} (repeatable), {@code -numReduceTasks},
 * {@code -cmdenv NAME=VALUE} (repeatable), {@code -inputformat}/{@code -outputformat} (only
 * Hadoop's text defaults), {@code -partitioner} (HashPartitioner or KeyFieldBasedPartitioner),
 * {@code -verbose}, {@code -help}. Settings are checked by {@link StreamingSettings}.
 */
public final class StreamingOptions {

    final List<String> inputs = new ArrayList<>();
    String output;
    String mapper;
    String combiner;
    String reducer;
    final List<String> files = new ArrayList<>();
    Integer numReduceTasks;
    final Map<String, String> cmdenv = new LinkedHashMap<>();
    /** Job settings from -D and -conf, in the order given, by their current names ({@link StreamingSettings#canonical}). */
    final Map<String, String> conf = new LinkedHashMap<>();
    /** The names settings were given by, where that was a deprecated name. */
    final Map<String, String> givenNames = new LinkedHashMap<>();
    boolean verbose;
    boolean help;

    private StreamingOptions() {
    }

    /** Parses {@code args}; throws {@link StreamingException} (status 1 or 3) naming the offending option. */
    public static StreamingOptions parse(String... args) {
        StreamingOptions o = new StreamingOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-D") && a.length() > 2) {
                o.define(a.substring(2));
                continue;
            }
            switch (a) {
                case "-D" -> o.define(value(args, ++i, a));
                case "--master", "-master" -> o.put("kindling.master", value(args, ++i, a));
                case "-conf" -> o.readConf(Path.of(value(args, ++i, a)));
                case "-files" -> {
                    for (String f : value(args, ++i, a).split(",")) {
                        if (!f.isBlank()) {
                            o.files.add(f.trim());
                        }
                    }
                }
                case "-fs", "-jt" -> {
                    String v = value(args, ++i, a);
                    if (!v.equals("local") && !v.startsWith("file:")) {
                        throw new StreamingException(StreamingException.INVALID_CONFIG, a + " " + v
                                + ": only the local file system and local runner are supported; use 'local' or drop the option");
                    }
                }
                case "-archives", "-libjars", "-io", "-inputreader", "-mapdebug", "-reducedebug" ->
                        throw new StreamingException(StreamingException.JOB_FAILED, "Option " + a
                                + " is not supported by Kindling's streaming runner");
                case "-input" -> o.inputs.add(value(args, ++i, a));
                case "-output" -> o.output = value(args, ++i, a);
                case "-mapper" -> o.mapper = value(args, ++i, a);
                case "-combiner" -> o.combiner = value(args, ++i, a);
                case "-reducer" -> o.reducer = value(args, ++i, a);
                case "-file" -> o.files.add(value(args, ++i, a));
                case "-numReduceTasks" -> o.numReduceTasks = parseCount(value(args, ++i, a), a);
                case "-cmdenv" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new StreamingException(StreamingException.JOB_FAILED, "-cmdenv expects NAME=VALUE (got \"" + kv + "\")");
                    }
                    o.cmdenv.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-inputformat" -> requireDefault(value(args, ++i, a), a, "TextInputFormat");
                case "-outputformat" -> requireDefault(value(args, ++i, a), a, "TextOutputFormat");
                case "-partitioner" -> o.conf.put("mapreduce.job.partitioner.class", value(args, ++i, a));
                case "-verbose" -> o.verbose = true;
                case "-lazyOutput" -> {
                    // Accepted: empty reducers still write an empty part file here, as without the option.
                }
                case "-help", "-info", "--help", "-h" -> o.help = true;
                default -> throw new StreamingException(StreamingException.JOB_FAILED, "Unrecognized option: " + a
                        + " (see 'kindling streaming -help')");
            }
        }
        if (o.help) {
            return o;
        }
        if (o.inputs.isEmpty()) {
            throw new StreamingException(StreamingException.JOB_FAILED, "Required argument: -input <name>");
        }
        if (o.output == null) {
            throw new StreamingException(StreamingException.JOB_FAILED, "Required argument: -output <name>");
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new StreamingException(StreamingException.JOB_FAILED, "Option " + option + " needs a value");
        }
        return args[i];
    }

    private void define(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new StreamingException(StreamingException.JOB_FAILED, "-D expects key=value (got \"" + kv + "\")");
        }
        put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }

    private void put(String key, String value) {
        String name = StreamingSettings.canonical(key);
        if (!name.equals(key)) {
            givenNames.put(name, key);
        }
        conf.put(name, value);
    }

    private static int parseCount(String v, String what) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, what + " must be a non-negative integer (got \""
                    + v + "\")", e);
        }
    }

    private static void requireDefault(String v, String option, String simpleName) {
        if (!v.equals(simpleName) && !v.endsWith("." + simpleName)) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, option + " " + v + " is not supported; only "
                    + simpleName + " (the default) is");
        }
    }

    /** Reads {@code <property><name>k</name><value>v</value></property>} entries of a Hadoop configuration file. */
    private void readConf(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(Files.newInputStream(file));
            NodeList props = doc.getElementsByTagName("property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                NodeList name = p.getElementsByTagName("name");
                NodeList value = p.getElementsByTagName("value");
                if (name.getLength() == 1 && value.getLength() == 1) {
                    put(name.item(0).getTextContent().trim(), value.item(0).getTextContent());
                }
            }
        } catch (IOException e) {
            throw new StreamingException(StreamingException.JOB_FAILED, "Cannot read -conf file " + file + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, "-conf file " + file
                    + " is not a Hadoop configuration XML file: " + e.getMessage(), e);
        }
    }

    /** The number of reduce tasks: {@code -numReduceTasks}, else {@code mapreduce.job.reduces}, else 1; 0 with {@code -reducer NONE}. */
    int reduceTasks() {
        if ("NONE".equals(reducer)) {
            return 0;
        }
        if (numReduceTasks != null) {
            return numReduceTasks;
        }
        String v = conf.get("mapreduce.job.reduces");
        return v == null ? 1 : parseCount(v, "mapreduce.job.reduces");
    }

    /** A job setting as an int, with a default; invalid values are a configuration error (status 3). */
    int intSetting(String key, int defaultValue) {
        String v = conf.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, key + " must be an integer (got \"" + v + "\")", e);
        }
    }

    /**
     * How long a mapper, combiner or reducer may go without reading input, writing output or writing
     * to stderr before it is killed: {@code mapreduce.task.timeout} (or the older
     * {@code mapred.task.timeout}) in milliseconds, Hadoop's 600000 by default, 0 for no limit.
     */
    SubprocessPipe.Timeout taskTimeout() {
        String key = givenNames.getOrDefault("mapreduce.task.timeout", "mapreduce.task.timeout");
        String v = conf.get("mapreduce.task.timeout");
        long millis = 600_000;
        if (v != null) {
            try {
                millis = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                millis = -1;
            }
        }
        if (millis < 0) {
            throw new StreamingException(StreamingException.INVALID_CONFIG, key + " must be 0 (no limit) or a positive"
                    + " number of milliseconds (got \"" + v + "\")");
        }
        return new SubprocessPipe.Timeout(millis, key);
    }

    /** A job setting, with a default. */
    String setting(String key, String defaultValue) {
        return conf.getOrDefault(key, defaultValue);
    }

    /** Usage text for {@code -help}. */
    public static String usage() {
        return String.join("\n",
                "Usage: kindling streaming [generic options] [streaming options]",
                "Generic options (first):",
                "  -D <key>=<value>        job setting (mapreduce.job.reduces, stream.*, kindling.*)",
                "  -conf <file.xml>        Hadoop configuration file of job settings",
                "  -files <f1,f2#name>     files copied into the tasks' working directory",
                "  --master <url>          where tasks run: local[N], local-cluster[E,C,M], yarn (= -D kindling.master=<url>)",
                "Streaming options:",
                "  -input <path>           input file, directory or glob (repeatable; required)",
                "  -output <dir>           output directory, must not exist (required)",
                "  -mapper <cmd>           map command (default: identity)",
                "  -combiner <cmd>         combine command run on each map's sorted output",
                "  -reducer <cmd>          reduce command (default: identity; NONE = map-only)",
                "  -file <file>            file copied into the tasks' working directory (repeatable)",
                "  -numReduceTasks <n>     reduce tasks (0 = map-only)",
                "  -cmdenv <NAME>=<value>  environment variable for the commands (repeatable)",
                "  -partitioner <class>    HashPartitioner (default) or org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner",
                "  -verbose                log more",
                "  -help                   this text",
                "Key order: -D mapreduce.job.output.key.comparator.class=org.apache.hadoop.mapred.lib.KeyFieldBasedComparator",
                "  -D mapreduce.partition.keycomparator.options='-k2,2nr -k1,1' (fields split by",
                "  mapreduce.map.output.key.field.separator; a key has stream.num.map.output.key.fields fields).",
                "Settings that would change the results but are not implemented are errors (status 3);",
                "unknown settings get a warning.",
                "Exit status: 0 success, 1 job failed or bad arguments, 2 bad input path, 3 invalid configuration,",
                "4 output directory exists, 5 other I/O error.");
    }
}
