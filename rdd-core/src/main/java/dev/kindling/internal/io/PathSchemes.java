package dev.kindling.internal.io;

import dev.kindling.internal.hadoop.HadoopFiles;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a path a user typed names the local disk, so that no entry point ever writes a
 * URI such as {@code hdfs:///x} as a local folder named {@code hdfs:}. The rules, applied to each
 * path (each element of a comma-separated input list):
 * <ol>
 *   <li>A path whose text before its first colon is a URI scheme (RFC 3986: a letter, then letters,
 *       digits, {@code +}, {@code -} or {@code .}) has a scheme; any other path ({@code data/a:b.txt},
 *       {@code ./a:b}, {@code /tmp/x}, {@code out}) is a plain local path, used as is.</li>
 *   <li>{@code file:} (any case) is local: {@code file:///x} and {@code file:/x} are {@code /x},
 *       {@code file:x} is the relative {@code x}.</li>
 *   <li>Any other scheme followed by {@code /} ({@code hdfs:///x}, {@code s3a://b/x},
 *       {@code viewfs://c/x}) names another file system. Every reader and writer ({@code textFile},
 *       {@code wholeTextFiles}, {@code binaryFiles}, {@code objectFile}, the saves, checkpoint
 *       directories, the streaming runner's {@code -input}/{@code -output}) reaches it through Hadoop's
 *       FileSystem API when Hadoop's jars are on the class path ({@link #viaHadoop}); without them it
 *       fails at once, before any job runs or any directory is created, naming the scheme, the path and
 *       what to add. A scheme Hadoop has no file system for fails the same way
 *       ({@code HadoopFiles}).</li>
 *   <li>Any other scheme followed by something else ({@code hdfs:x}, {@code a:b.txt}) is ambiguous
 *       (Hadoop would read it as a relative path on that file system) and fails the same way,
 *       saying to write {@code ./a:b.txt} for a local file of that name.</li>
 * </ol>
 */
public final class PathSchemes {

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);

    /** The class whose presence means Hadoop's client jars are on the class path. */
    static final String HADOOP_FILE_SYSTEM = "org.apache.hadoop.fs.FileSystem";

    /** Whether Hadoop's client works in this JVM; null until first asked (the class path does not change). */
    private static volatile Boolean hadoopUsable;

    private PathSchemes() {
    }

    /**
     * The local path that {@code path} names ({@code file:} prefix removed), for {@code role}
     * ("Input path", "Output path", "Checkpoint directory"...) in errors.
     *
     * @throws IllegalArgumentException if {@code path} has a scheme other than {@code file:} (see the rules above)
     */
    public static String localPath(String path, String role) {
        Matcher m = SCHEME.matcher(path);
        if (!m.matches()) {
            return path;
        }
        String scheme = m.group(1);
        String rest = m.group(2);
        if (scheme.equalsIgnoreCase("file")) {
            return rest.startsWith("//") ? rest.substring(2) : rest;
        }
        throw new IllegalArgumentException(rest.startsWith("/")
                ? unsupported(role, path, scheme.toLowerCase(Locale.ROOT), hadoopOnClassPath())
                : ambiguous(role, path, scheme));
    }

    /**
     * Whether {@code spec} (a path or comma-separated list) goes through Hadoop's FileSystem API:
     * one of its paths has a scheme other than {@code file:} followed by {@code /}, and Hadoop's
     * jars are on the class path.
     */
    public static boolean viaHadoop(String spec) {
        if (spec == null) {
            return false;
        }
        for (String part : InputPaths.splitCommas(spec)) {
            Matcher m = SCHEME.matcher(part.strip());
            if (m.matches() && !m.group(1).equalsIgnoreCase("file") && m.group(2).startsWith("/")) {
                return hadoopOnClassPath();
            }
        }
        return false;
    }

    /**
     * Whether Hadoop's client works here: its API and what it needs at run time (hadoop-client-api
     * alone, as in a build's provided scope, is not enough). Tried once, by loading a configuration.
     */
    static boolean hadoopOnClassPath() {
        Boolean known = hadoopUsable;
        if (known == null) {
            try {
                Class.forName(HADOOP_FILE_SYSTEM, false, PathSchemes.class.getClassLoader());
                known = HadoopFiles.usable();
            } catch (ClassNotFoundException | LinkageError e) {
                known = false;
            }
            hadoopUsable = known;
        }
        return known;
    }

    /** The error for a path on another file system; what to add depends on whether Hadoop is there. */
    static String unsupported(String role, String path, String scheme, boolean hadoopPresent) {
        if (hadoopPresent) {
            return role + " " + path + " names the \"" + scheme + ":\" file system: Hadoop's FileSystem API is on the"
                    + " class path, but " + role + " is read only from the local disk; nothing was read or written."
                    + " Copy it to a local path (e.g. `hdfs dfs -get`) and name it as a plain path or a file: URI";
        }
        return role + " " + path + " names the \"" + scheme + ":\" file system, which Kindling reaches only through"
                + " Hadoop's FileSystem API, whose client jars are not (all) on the class path; nothing was read or"
                + " written. Add them: set HADOOP_HOME (bin/kindling then adds $HADOOP_HOME/share/hadoop/client),"
                + " or KINDLING_DIST_CLASSPATH=\"$(hadoop classpath)\", or for library use"
                + " hadoop-client-api and hadoop-client-runtime of one version; or copy the data to a local path (e.g."
                + " `hdfs dfs -get`) and name it as a plain path";
    }

    private static String ambiguous(String role, String path, String scheme) {
        return role + " " + path + " starts with what reads as the URI scheme \"" + scheme + ":\" without a \"/\""
                + " after it, which is ambiguous; nothing was read or written. Write ./" + path + " for a local file"
                + " of that name, or " + scheme + ":///" + path.substring(scheme.length() + 1) + " for a path on that"
                + " file system";
    }
}
