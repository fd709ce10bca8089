package dev.kindling.internal.io;

import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.internal.hadoop.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an input specification names, listed once on the driver with their sizes, on the local
 * disk ({@link InputPaths}'s rules) or, for {@code hdfs://...} and other schemes, through Hadoop's
 * FileSystem API with the same rules. What {@code wholeTextFiles}, {@code binaryFiles} and
 * {@code objectFile} read.
 *
 * @param fs     the file system the files are on
 * @param files  each file as a task opens it: an absolute local path, or a URI on another file system
 * @param sizes  each file's size in bytes
 * @param hosts  for each file, the hosts that hold its blocks, most bytes first (empty on the local disk)
 * @param inputPaths the paths the specification names without a glob and the listed files, as paths on
 *                   {@code fs} (what {@link FileInput#inputPaths()} reports)
 * @param opener opens a file of {@code files} in a task
 */
public record InputFiles(OutputFs fs, List<String> files, long[] sizes, List<List<String>> hosts, List<Path> inputPaths,
                         Opener opener) {

    /** Opens one of the listed files inside a task. */
    @FunctionalInterface
    public interface Opener extends Serializable {
        /** Opens {@code file} (an entry of {@link InputFiles#files()}) for reading. */
        InputStream open(String file) throws IOException;
    }

    /** Lists the files of {@code spec} now, so that a missing path fails before any job, naming it. */
    public static InputFiles list(KindlingContext context, String spec) {
        boolean requireSuccess = context.getConf().getBoolean(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER, false);
        if (PathSchemes.viaHadoop(spec)) {
            return HadoopFiles.listFiles(spec, requireSuccess);
        }
        List<Path> paths = InputPaths.expand(spec, requireSuccess);
        List<String> files = new ArrayList<>(paths.size());
        long[] sizes = new long[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            Path f = paths.get(i).toAbsolutePath();
            files.add(f.toString());
            try {
                sizes[i] = Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of input file " + f, e);
            }
        }
        List<Path> inputs = new ArrayList<>(InputPaths.named(spec));
        files.forEach(f -> inputs.add(Path.of(f)));
        return new InputFiles(OutputFs.LOCAL, files, sizes, files.stream().map(f -> List.<String>of()).toList(),
                inputs, f -> Files.newInputStream(Path.of(f)));
    }

    /** The key of {@code file} in {@code wholeTextFiles}/{@code binaryFiles}: {@code file:/abs/path} or the URI. */
    public String key(String file) {
        return fs == OutputFs.LOCAL ? "file:" + file : file;
    }
}
