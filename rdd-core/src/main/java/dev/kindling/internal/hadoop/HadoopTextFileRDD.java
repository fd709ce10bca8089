package dev.kindling.internal.hadoop;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.internal.io.FileInput;
import dev.kindling.internal.io.FileSplit;
import dev.kindling.internal.io.OutputFs;
import dev.kindling.internal.io.SplitInput;
import dev.kindling.internal.io.SplitLineReader;
import dev.kindling.internal.io.SplitLines;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The lines of text files on a Hadoop file system ({@code hdfs://...}), one partition per split:
 * the same inputs rule ({@link HadoopListing}), the same split rule
 * ({@link TextFileRDD#plan(List, long[], int, long)}) and the same line ownership
 * ({@link SplitLineReader}) as local text input. Each split's preferred locations are the hosts that
 * hold most of its bytes. Each task opens its file with a fresh {@link Configuration} (core-site.xml
 * and hdfs-site.xml from the class path, or {@code HADOOP_CONF_DIR} when the launcher puts it there).
 *
 * @param <T> line type: {@code String} or {@code byte[]}
 */
public final class HadoopTextFileRDD<T> extends RDD<T> implements FileInput, SplitInput {

    private final String spec;
    private final List<FileSplit> splits;
    private final List<List<String>> hosts;
    /** The input paths on the file system, as strings ({@link java.nio.file.Path} is not serializable). */
    private final List<String> inputs;
    private final transient OutputFs fs;
    private final TextFileRDD.Decoder<T> decoder;

    private HadoopTextFileRDD(KindlingContext context, String spec, List<FileSplit> splits, List<List<String>> hosts,
                              HadoopListing listing, TextFileRDD.Decoder<T> decoder) {
        super(context);
        this.spec = spec;
        this.splits = List.copyOf(splits);
        this.hosts = List.copyOf(hosts);
        this.inputs = listing.inputPaths().stream().map(java.nio.file.Path::toString).toList();
        this.fs = listing.fs();
        this.decoder = decoder;
        setName(spec);
    }

    /** Lists the files of {@code spec} now (errors name the path before any job) and plans the splits. */
    static <T> HadoopTextFileRDD<T> create(KindlingContext context, String spec, int minPartitions,
                                           TextFileRDD.Decoder<T> decoder) {
        HadoopListing listing = HadoopListing.of(spec, context.getConf().getBoolean(
                dev.kindling.KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER, false));
        List<String> files = new ArrayList<>();
        java.util.Map<String, FileStatus> byPath = new java.util.HashMap<>();
        long[] sizes = new long[listing.files().size()];
        for (int i = 0; i < sizes.length; i++) {
            FileStatus f = listing.files().get(i);
            files.add(f.getPath().toString());
            byPath.put(f.getPath().toString(), f);
            sizes[i] = f.getLen();
        }
        long maxSplit = HadoopFiles.maxSplitSize(context.getConf());
        if (maxSplit < 1) {
            throw new IllegalArgumentException(TextFileRDD.SPLIT_SIZE + " must be at least 1 byte (got " + maxSplit + ")");
        }
        // As Hadoop's FileInputFormat: each file is cut at its own block size, so a split lies in one block
        // and the hosts of that block hold all of it; kindling.input.splitSize, when set, is used instead.
        boolean keySet = context.getConf().contains(TextFileRDD.SPLIT_SIZE);
        long[] blockSizes = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            long block = listing.files().get(i).getBlockSize();
            blockSizes[i] = keySet || block < 1 ? maxSplit : block;
        }
        List<FileSplit> splits = TextFileRDD.plan(files, sizes, blockSizes, Math.max(1, minPartitions));
        List<List<String>> hosts = new ArrayList<>();
        for (FileSplit s : splits) {
            hosts.add(listing.hosts(byPath.get(s.path()), s.start(), s.length()));
        }
        return new HadoopTextFileRDD<>(context, spec, splits, hosts, listing, decoder);
    }

    /** The planned splits. */
    @Override
    public List<FileSplit> splits() {
        return splits;
    }

    @Override
    public List<java.nio.file.Path> inputPaths() {
        return inputs.stream().map(java.nio.file.Path::of).toList();
    }

    @Override
    public OutputFs fileSystem() {
        return fs;
    }

    @Override
    public List<String> preferredLocations(int partition) {
        return hosts.get(partition);
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
    protected Iterator<T> compute(int partition, TaskContext context) throws IOException {
        FileSplit split = splits.get(partition);
        Path path = new Path(split.path());
        FSDataInputStream in = path.getFileSystem(new Configuration()).open(path);
        if (!split.compressed()) {
            in.seek(split.start());
        }
        return SplitLines.read(SplitLineReader.open(in, split), split, decoder, context);
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "[" + id() + "] " + spec + " at " + creationSite();
    }
}
