package dev.kindling.internal.hadoop;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.io.FsPath;
import dev.kindling.internal.io.InputFiles;
import dev.kindling.internal.io.SplitLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * The entry points of Hadoop file system support, for paths whose scheme is not {@code file:}:
 * listing inputs ({@code textFile}, {@code wholeTextFiles}, {@code binaryFiles}, {@code objectFile}),
 * opening them in tasks, and locating an output or checkpoint directory whose files the local
 * commit protocol then writes through {@link HadoopOutputFs}. Called only when Hadoop's jars are
 * on the class path (see {@link dev.kindling.internal.io.PathSchemes#viaHadoop(String)}), so that
 * local users never load a Hadoop class.
 */
public final class HadoopFiles {

    private HadoopFiles() {
    }

    /**
     * Whether Hadoop's client classes and their run-time dependencies load: a configuration is
     * created and read. Callers catch the {@link LinkageError} of a missing API jar.
     */
    public static boolean usable() {
        try {
            new Configuration().get("fs.defaultFS");
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** The lines of the files named by {@code spec} (URIs, globs, comma list) in at least {@code minPartitions} splits. */
    public static RDD<String> textFile(KindlingContext context, String spec, int minPartitions) {
        return HadoopTextFileRDD.create(context, spec, minPartitions, SplitLines::utf8);
    }

    /** Like {@link #textFile}, each element the line's bytes, undecoded (the streaming runner's input). */
    public static RDD<byte[]> rawTextFile(KindlingContext context, String spec, int minPartitions) {
        return HadoopTextFileRDD.create(context, spec, minPartitions, SplitLines::copy);
    }

    /** The files of {@code spec} with their sizes and block hosts (see {@link HadoopListing}). */
    public static InputFiles listFiles(String spec, boolean requireSuccessMarker) {
        return HadoopListing.of(spec, requireSuccessMarker).toInputFiles();
    }

    /** Opens the file with URI {@code uri} in a task, with a fresh configuration. */
    public static InputStream open(String uri) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem(new Configuration()).open(path);
    }

    /**
     * The directory {@code path} (a URI such as {@code hdfs://nn/out} or {@code hdfs:///out}) on its
     * file system, qualified, for {@code role} in errors; nothing is created.
     *
     * @throws UncheckedIOException if the file system cannot be reached or has no implementation here
     */
    public static FsPath locate(String path, String role) {
        try {
            Path p = new Path(path);
            FileSystem fs = fileSystem(p, new Configuration(), role);
            Path qualified = fs.makeQualified(p);
            return new FsPath(HadoopOutputFs.of(qualified.toUri()), HadoopOutputFs.local(qualified));
        } catch (IOException e) {
            throw new UncheckedIOException(role + " " + path + " cannot be reached through Hadoop's FileSystem API: "
                    + e.getMessage() + "; check the URI, that the file system is up, and that its client jar (for s3a:,"
                    + " hadoop-aws) and configuration (HADOOP_CONF_DIR) are on the class path", e);
        }
    }

    /**
     * The file system of {@code path}.
     *
     * @throws IllegalArgumentException naming the scheme and the jar to add, when Hadoop has no file
     *         system for the scheme on this class path (an {@code s3a:} path without hadoop-aws, say)
     */
    static FileSystem fileSystem(Path path, Configuration conf, String role) throws IOException {
        try {
            return path.getFileSystem(conf);
        } catch (UnsupportedFileSystemException e) {
            String scheme = path.toUri().getScheme();
            throw new IllegalArgumentException(role + " " + path + " names the \"" + scheme + ":\" file system, for which"
                    + " Hadoop has no implementation on the class path; nothing was read or written. Add the Hadoop"
                    + " module that provides it (for s3a:, hadoop-aws and its AWS SDK bundle; see `hadoop classpath`"
                    + " of a Hadoop install that reads such paths) or fix the scheme", e);
        }
    }

    /** The context's largest split in bytes, {@value dev.kindling.internal.io.TextFileRDD#SPLIT_SIZE}. */
    static long maxSplitSize(KindlingConf conf) {
        return conf.getLong(dev.kindling.internal.io.TextFileRDD.SPLIT_SIZE,
                dev.kindling.internal.io.TextFileRDD.DEFAULT_SPLIT_SIZE);
    }
}
