package dev.kindling.internal.hadoop;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.io.FileSplit;
import dev.kindling.internal.io.SplitLineReader;
import dev.kindling.internal.io.SplitLines;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lines of text files on a Hadoop file system ({@code hdfs://...}), one partition per split:
 * the same inputs rule (comma list, globs, directories one level deep, names starting with
 * {@code _} or {@code .} skipped), the same split rule ({@link TextFileRDD#plan(List, long[], int, long)})
 * and the same line ownership ({@link SplitLineReader}) as local text input. Each task opens its
 * file with a fresh {@link Configuration} (core-site.xml and hdfs-site.xml from the class path,
 * or {@code HADOOP_CONF_DIR} when the launcher puts it there).
 */
final class HadoopTextFileRDD extends RDD<String> {

    private final String spec;
    private final List<FileSplit> splits;

    private HadoopTextFileRDD(KindlingContext context, String spec, List<FileSplit> splits) {
        super(context);
        this.spec = spec;
        this.splits = List.copyOf(splits);
        setName(spec);
    }

    /** Lists the files of {@code spec} now (errors name the path before any job) and plans the splits. */
    static HadoopTextFileRDD create(KindlingContext context, String spec, int minPartitions) {
        Configuration conf = new Configuration();
        List<String> files = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                Path path = new Path(URI.create(p));
                FileSystem fs = path.getFileSystem(conf);
                FileStatus[] matched = fs.globStatus(path);
                if (matched == null || matched.length == 0) {
                    throw new IllegalArgumentException(isGlob(p) ? "Input Pattern " + p + " matches 0 files"
                            : "Input path does not exist: " + p);
                }
                for (FileStatus m : matched) {
                    if (isGlob(p) && hidden(m.getPath())) {
                        continue;
                    }
                    FileStatus[] children = m.isDirectory() ? fs.listStatus(m.getPath()) : new FileStatus[] {m};
                    java.util.Arrays.sort(children);
                    for (FileStatus c : children) {
                        if (m.isDirectory() && hidden(c.getPath())) {
                            continue;
                        }
                        if (c.isDirectory()) {
                            throw new IllegalArgumentException("Input directory " + m.getPath() + " contains the"
                                    + " subdirectory " + c.getPath().getName() + "; directories are read one level"
                                    + " deep: name the files with a glob instead");
                        }
                        files.add(c.getPath().toString());
                        sizes.add(c.getLen());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list input path " + p + " through Hadoop's FileSystem: "
                        + e.getMessage() + "; check the URI and that the file system is reachable", e);
            }
        }
        long maxSplit = context.getConf().getLong(TextFileRDD.SPLIT_SIZE, TextFileRDD.DEFAULT_SPLIT_SIZE);
        long[] sizeArray = sizes.stream().mapToLong(Long::longValue).toArray();
        return new HadoopTextFileRDD(context, spec, TextFileRDD.plan(files, sizeArray, Math.max(1, minPartitions),
                maxSplit));
    }

    private static boolean hidden(Path p) {
        return p.getName().startsWith("_") || p.getName().startsWith(".");
    }

    private static boolean isGlob(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0 || p.indexOf('{') >= 0;
    }

    /** The planned splits. */
    List<FileSplit> splits() {
        return splits;
    }

    @Override
    protected int computeNumPartitions() {
        return splits.size();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<String> compute(int partition, TaskContext context) throws IOException {
        FileSplit split = splits.get(partition);
        Path path = new Path(URI.create(split.path()));
        FSDataInputStream in = path.getFileSystem(new Configuration()).open(path);
        if (!split.compressed()) {
            in.seek(split.start());
        }
        return SplitLines.strings(SplitLineReader.open(in, split), split, context);
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
