package dev.kindling.internal.hadoop;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import org.apache.hadoop.conf.Configuration;

/**
 * The entry points of Hadoop file system support: {@code textFile} and {@code saveAsTextFile} on
 * paths whose scheme is not {@code file:}. Called only when Hadoop's jars are on the class path
 * (see {@link dev.kindling.internal.io.PathSchemes#viaHadoop(String)}), so that local users never
 * load a Hadoop class.
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
        return HadoopTextFileRDD.create(context, spec, minPartitions);
    }

    /** Writes {@code rdd} as text under the directory URI {@code path} ({@code codec} null or "gzip"). */
    public static <T> void saveAsTextFile(KindlingContext context, RDD<T> rdd, String path, String codec) {
        HadoopTextOutput.save(context, rdd, path, codec);
    }
}
