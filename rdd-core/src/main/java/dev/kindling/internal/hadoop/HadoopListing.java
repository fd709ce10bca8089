package dev.kindling.internal.hadoop;

import dev.kindling.KindlingConf;
import dev.kindling.internal.io.InputFiles;
import dev.kindling.internal.io.InputPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of an input specification on a Hadoop file system, with the rules of local input
 * ({@link dev.kindling.internal.io.InputPaths}): a comma list, each a file, a directory (its files,
 * one level, in name order) or a glob; names starting with {@code _} or {@code .} skipped inside a
 * directory or glob; an output directory without {@code _SUCCESS} warned about or refused. Errors
 * name the path before any job runs.
 *
 * @param fs     the file system of the first path (for the overwrite guards)
 * @param files  the files, in order
 * @param named  the paths named without a glob
 */
record HadoopListing(HadoopOutputFs fs, List<FileStatus> files, List<Path> named) {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopListing.class);

    /** Lists {@code spec} now. */
    static HadoopListing of(String spec, boolean requireSuccessMarker) {
        Configuration conf = new Configuration();
        List<FileStatus> files = new ArrayList<>();
        List<Path> named = new ArrayList<>();
        HadoopOutputFs first = null;
        for (String part : InputPaths.splitCommas(spec)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                Path path = new Path(p);
                FileSystem fs = HadoopFiles.fileSystem(path, conf, "Input path");
                if (first == null) {
                    first = HadoopOutputFs.of(fs.getUri());
                }
                if (!isGlob(p)) {
                    named.add(fs.makeQualified(path));
                }
                FileStatus[] matched = fs.globStatus(path);
                if (matched == null || matched.length == 0) {
                    throw new IllegalArgumentException(isGlob(p) ? "Input Pattern " + p + " matches 0 files"
                            : "Input path does not exist: " + p);
                }
                for (FileStatus m : matched) {
                    if (isGlob(p) && hidden(m.getPath())) {
                        continue;
                    }
                    if (!m.isDirectory()) {
                        files.add(m);
                        continue;
                    }
                    FileStatus[] children = fs.listStatus(m.getPath());
                    Arrays.sort(children);
                    List<FileStatus> visible = Arrays.stream(children).filter(c -> !hidden(c.getPath())).toList();
                    checkSuccessMarker(fs, m.getPath(), visible, requireSuccessMarker);
                    for (FileStatus c : visible) {
                        if (c.isDirectory()) {
                            throw new IllegalArgumentException("Input directory " + m.getPath() + " contains the"
                                    + " subdirectory " + c.getPath().getName() + "; directories are read one level"
                                    + " deep: name the files with a glob instead (e.g. " + m.getPath() + "/*/*)");
                        }
                        files.add(c);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list input path " + p + " through Hadoop's FileSystem: "
                        + e.getMessage() + "; check the URI and that the file system is reachable", e);
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("Input path is empty");
        }
        return new HadoopListing(first, files, named);
    }

    private static void checkSuccessMarker(FileSystem fs, Path dir, List<FileStatus> children, boolean required)
            throws IOException {
        boolean hasParts = children.stream().anyMatch(c -> c.getPath().getName().startsWith("part-"));
        if (!hasParts || fs.exists(new Path(dir, "_SUCCESS"))) {
            return;
        }
        String problem = "Input directory " + dir + " holds part files but no _SUCCESS marker: the job that wrote it"
                + " did not finish (it failed, was killed, or is still writing), so it may be incomplete";
        if (required) {
            throw new IllegalArgumentException(problem + "; rerun the job that writes it, or set "
                    + KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER + "=false to read it anyway");
        }
        LOG.warn("{}; set {}=true to make this an error", problem, KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER);
    }

    /**
     * The hosts holding the bytes {@code [start, start + length)} of {@code file}, those with the most
     * of them first ({@code length} -1: the whole file); empty when the file system does not say.
     */
    List<String> hosts(FileStatus file, long start, long length) {
        long end = length < 0 ? file.getLen() : start + length;
        try {
            BlockLocation[] blocks = fs.fileSystem().getFileBlockLocations(file, start, Math.max(1, end - start));
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (BlockLocation b : blocks) {
                long overlap = Math.min(end, b.getOffset() + b.getLength()) - Math.max(start, b.getOffset());
                for (String host : b.getHosts()) {
                    bytes.merge(host, Math.max(0, overlap), Long::sum);
                }
            }
            return bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(Map.Entry::getKey).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** As {@link InputFiles}: each file's URI, size and first hosts, opened through Hadoop in tasks. */
    InputFiles toInputFiles() {
        List<String> uris = new ArrayList<>();
        long[] sizes = new long[files.size()];
        List<List<String>> hosts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileStatus f = files.get(i);
            uris.add(f.getPath().toString());
            sizes[i] = f.getLen();
            hosts.add(hosts(f, 0, -1));
        }
        return new InputFiles(fs, uris, sizes, hosts, inputPaths(), HadoopFiles::open);
    }

    /** The named paths and the files, as paths on {@link #fs()}. */
    List<java.nio.file.Path> inputPaths() {
        List<java.nio.file.Path> inputs = new ArrayList<>();
        named.forEach(n -> inputs.add(HadoopOutputFs.local(n)));
        files.forEach(f -> inputs.add(HadoopOutputFs.local(f.getPath())));
        return inputs;
    }

    private static boolean hidden(Path p) {
        return p.getName().startsWith("_") || p.getName().startsWith(".");
    }

    private static boolean isGlob(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0 || p.indexOf('{') >= 0;
    }
}
